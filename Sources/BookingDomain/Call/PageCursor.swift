public import Foundation

/// The position after the last call of a page of `ListUpcomingCalls`, ordered by
/// `(scheduled_start, id)`: the next page is `WHERE (scheduled_start, id) > ($1, $2)`.
///
/// The token is opaque to clients (base64url of "v1|<unix microseconds>|<uuid>") so that its
/// form can change; the version prefix lets a later form still read tokens issued before a
/// deploy. Microseconds, because that is PostgreSQL's `timestamptz` resolution: the store
/// compares with exactly the value it wrote.
public struct PageCursor: Hashable, Sendable {
    /// Tokens longer than this are refused before decoding (the v1 text is under 60 bytes).
    public static let maximumTokenLength = 200

    public let scheduledStart: Date
    public let id: CallID

    public init(scheduledStart: Date, id: CallID) {
        self.scheduledStart = scheduledStart
        self.id = id
    }

    /// The cursor after `call`.
    public init(after call: Call) {
        self.init(scheduledStart: call.scheduledStart, id: call.id)
    }

    /// Microseconds since 1970, rounded as PostgreSQL rounds a `timestamptz`.
    public var microseconds: Int64 {
        Self.microseconds(of: self.scheduledStart)
    }

    public var token: String {
        let text = "v1|\(self.microseconds)|\(self.id.uuidString)"
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes a client's `page_token`; anything but a token we issued is INVALID_ARGUMENT.
    public init(token: String) throws(BookingError) {
        let invalid = BookingError.invalidArgument("page_token is not a token this service issued")
        guard !token.isEmpty, token.utf8.count <= Self.maximumTokenLength,
            token.utf8.allSatisfy({ Self.isBase64URL($0) })
        else { throw invalid }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            throw invalid
        }
        let fields = text.split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == "v1",
            fields[1].utf8.count <= 20, let micros = Int64(fields[1]),
            let id = try? CallID(validating: String(fields[2]))
        else { throw invalid }
        self.scheduledStart = Date(timeIntervalSince1970: TimeInterval(micros) / 1_000_000)
        self.id = id
    }

    static func microseconds(of date: Date) -> Int64 {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard micros.isFinite else { return 0 }
        return Int64(min(max(micros, -9e18), 9e18))
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}

/// `page_size` as the list RPCs read it.
public enum PageSize {
    public static let `default` = 50
    public static let maximum = 200

    /// 0 means the default; larger than the maximum is cut to it (AIP-158), negative is refused.
    public static func normalized(_ requested: Int) throws(BookingError) -> Int {
        guard requested >= 0 else { throw .invalidArgument("page_size must not be negative") }
        return requested == 0 ? Self.default : min(requested, Self.maximum)
    }
}
