import Synchronization
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

    private static let counter = Atomic<UInt64>(0)
    /// Random per process, so ids of replicas and restarts do not repeat each other.
    private static let seed = UInt64.random(in: 0...UInt64.max)
    private static let digits = Array("0123456789abcdef".utf8)

    /// 15 lowercase hex digits: a counter scrambled by an odd multiplier (a bijection modulo
    /// 2^60, so no repeat within a process) plus a random seed. Fifteen bytes fit Swift's
    /// small-string storage: making one allocates nothing, and it costs no system call.
    public static func generate() -> String {
        let count = Self.counter.wrappingAdd(1, ordering: .relaxed).newValue
        var value = (count &* 0x9E37_79B9_7F4A_7C15 &+ Self.seed) & 0x0FFF_FFFF_FFFF_FFFF
        return String(unsafeUninitializedCapacity: 15) { buffer in
            for index in stride(from: 14, through: 0, by: -1) {
                buffer[index] = Self.digits[Int(value & 0xF)]
                value >>= 4
            }
            return 15
        }
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
