/// `google.protobuf.Timestamp`: seconds since the Unix epoch plus non-negative nanoseconds.
///
/// On the wire an ordinary message (`int64 seconds = 1; int32 nanos = 2;`); in proto3 JSON an
/// RFC 3339 string in UTC, which is why it overrides `writeJSON`/`mergeJSON`.
public struct Timestamp: ProtoMessage, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z; JSON can express −62135596800 … 253402300799.
    public var seconds: Int64 = 0
    /// 0 … 999,999,999, also for instants before 1970 (the instant is `seconds + nanos/1e9`).
    public var nanos: Int32 = 0

    public init() {}

    public init(seconds: Int64, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    public static let protoName = "google.protobuf.Timestamp"
    public static let schema: MessageSchema<Timestamp> = [
        .int64(1, "seconds", \.seconds),
        .int32(2, "nanos", \.nanos),
    ]

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range proto3 JSON allows.
    public static let minSeconds: Int64 = -62_135_596_800
    public static let maxSeconds: Int64 = 253_402_300_799

    /// Whether the value lies in the range the proto3 JSON mapping allows (what Google checks
    /// before printing).
    public var isValid: Bool {
        (Self.minSeconds...Self.maxSeconds).contains(self.seconds) && (0...999_999_999).contains(self.nanos)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.nanos) < (rhs.seconds, rhs.nanos)
    }

    public func writeJSON(to writer: inout JSONWriter) throws(WireError) {
        writer.writeString(try self.rfc3339String())
    }

    public mutating func mergeJSON(_ value: JSONValue, options: JSONDecodingOptions) throws(WireError) {
        guard case .string(let text) = value else {
            throw WireError(.invalidJSONValue, "expected an RFC 3339 string for a Timestamp, got \(value.kindDescription)")
        }
        self = try Timestamp(rfc3339: text)
    }
}
