internal import COpenSSL

/// OpenSSL reports errors on a per-thread queue. Every failure path here drains it, because a
/// stale entry is read by the next OpenSSL user on the same thread: libpq's TLS code on a pool
/// thread, for instance, takes an old entry for its own failure.
package enum OpenSSLFailure {
    /// The queued errors as one line, and an empty queue afterwards.
    package static func drain() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "no OpenSSL error queued" : messages.joined(separator: "; ")
    }

    /// For calls that fail only when OpenSSL cannot allocate (hashing, MAC with a built-in
    /// digest): no input reaches this, and Swift itself traps when allocation fails, so trapping
    /// here too is honest where returning wrong bytes would not be.
    static func check(_ condition: Bool, _ operation: StaticString) {
        if !condition {
            let reason = drain()
            preconditionFailure("\(operation) failed: \(reason)")
        }
    }
}
