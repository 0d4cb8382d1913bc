#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Transport

/// The id that ties a request's response, logs and metrics together: the client's
/// `x-request-id` when it sent a usable one, else one made here. Every response carries it
/// back (gRPC: response metadata; REST: a header), errors and 404s included.
public enum RequestID {
    public static let header = "x-request-id"
    /// Longer client ids are replaced rather than echoed: they end up in every log line.
    static let maxLength = 128

    /// The client's id if it is 1–128 visible ASCII characters (no spaces or controls, so it
    /// can neither split a header nor forge a log field), else a new one.
    public static func accept(from headers: HTTPFields) -> String {
        if let sent = headers.firstValueUTF8(Self.header), Self.isUsable(sent) {
            return String(decoding: sent, as: UTF8.self)
        }
        return Self.generate()
    }

    static func isUsable(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.count <= Self.maxLength && bytes.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }

    /// 15 lowercase hex digits: 60 bits of a splitmix64 generator of the calling thread,
    /// seeded at random once per thread. No lock and no shared counter on the request path
    /// (a counter shared by the event loops cost a cache-line transfer per request); ids of
    /// any two requests, threads, replicas or restarts collide only by 60-bit chance. Fifteen
    /// bytes fit Swift's small-string storage, so making one allocates nothing.
    public static func generate() -> String {
        var value = RequestIDGenerator.next() & 0x0FFF_FFFF_FFFF_FFFF
        return String(unsafeUninitializedCapacity: 15) { buffer in
            for index in stride(from: 14, through: 0, by: -1) {
                let digit = UInt8(truncatingIfNeeded: value & 0xF)
                buffer[index] = digit < 10 ? digit &+ 48 : digit &+ 87  // 0-9, a-f
                value >>= 4
            }
            return 15
        }
    }
}

/// The per-thread state of `RequestID.generate()`, in thread-local storage.
enum RequestIDGenerator {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { state in state.map { UnsafeMutableRawPointer($0).deallocate() } }
        return key
    }()

    static func next() -> UInt64 {
        let state: UnsafeMutablePointer<UInt64>
        if let existing = pthread_getspecific(Self.key) {
            state = existing.assumingMemoryBound(to: UInt64.self)
        } else {
            state = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
            state.initialize(to: UInt64.random(in: 0...UInt64.max))
            pthread_setspecific(Self.key, state)
        }
        state.pointee &+= 0x9E37_79B9_7F4A_7C15
        var z = state.pointee
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array where Element == ResponsePart {
    /// The response with `x-request-id` added to its head, whichever handler wrote it.
    func stamped(requestID: String) -> [ResponsePart] {
        self.map { part in
            guard case .head(var head) = part else { return part }
            head.headers.append(RequestID.header, requestID)
            return .head(head)
        }
    }
}
