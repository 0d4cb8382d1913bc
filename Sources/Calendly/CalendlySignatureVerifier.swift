public import OutboundHTTP
public import Foundation
import Crypto

/// Checks `Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over the raw body
/// (providers.md §1.2; developer.calendly.com "webhook signatures").
///
/// The signed string is the timestamp digits, one `.`, then the body bytes exactly as received:
/// call this before any JSON decoding, because re-serialised JSON would not hash the same.
/// Header parts are split on `,` and each on its first `=`; whitespace around parts is ignored,
/// as are unknown keys, and any one matching `v1` is enough (key rotation).
public struct CalendlySignatureVerifier: Sendable {
    public static let headerName = "Calendly-Webhook-Signature"

    private let key: [UInt8]
    /// `CALENDLY_SIGNATURE_TOLERANCE_SECONDS` [180]: the largest accepted `|now − t|`, in both
    /// directions, so a captured delivery cannot be replayed later.
    public let tolerance: Duration

    /// `signingKey` is `CALENDLY_WEBHOOK_SECRET`, used as UTF-8 bytes. An empty key is refused:
    /// anyone can compute an HMAC under the empty key.
    public init(signingKey: String, tolerance: Duration = .seconds(180)) throws(ProviderError) {
        guard !signingKey.isEmpty else {
            throw ProviderError(.calendly, .invalidArgument, "the Calendly webhook signing key is empty")
        }
        guard tolerance >= .zero else {
            throw ProviderError(.calendly, .invalidArgument, "the signature tolerance is negative")
        }
        self.key = Array(signingKey.utf8)
        self.tolerance = tolerance
    }

    /// Returns the signed timestamp when the header is valid for `body` at `now`; throws
    /// `missingSignature`, `malformedSignature`, `staleSignature` or `signatureMismatch`.
    @discardableResult
    public func verify(header: String?, body: [UInt8], now: Date) throws(ProviderError) -> Date {
        guard let header, !header.allSatisfy(\.isWhitespace) else {
            throw ProviderError(.calendly, .missingSignature, "no \(Self.headerName) header")
        }
        let parsed = try SignatureHeader(parsing: header)

        // Staleness first: it is cheap, and a replay fails the same way whether or not its MAC
        // is genuine.
        let signedAt = Date(timeIntervalSince1970: TimeInterval(parsed.timestamp))
        let skew = abs(now.timeIntervalSince(signedAt))
        let (seconds, attoseconds) = self.tolerance.components
        let limit = Double(seconds) + Double(attoseconds) / 1e18
        guard skew <= limit else {
            throw ProviderError(.calendly, .staleSignature, "signature timestamp is \(Int(skew)) s from now, over \(Int(limit)) s")
        }

        var message = Array(parsed.timestampText.utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: body)
        let expected = HMACSHA256.authenticate(key: self.key, message: message)
        // Check every candidate, so the time taken does not say which one matched.
        var matched = false
        for candidate in parsed.signatures where ConstantTime.equals(candidate, expected) { matched = true }
        guard matched else {
            throw ProviderError(.calendly, .signatureMismatch, "no v1 signature matches the body")
        }
        return signedAt
    }

    @discardableResult
    public func verify(header: String?, body: Data, now: Date) throws(ProviderError) -> Date {
        try self.verify(header: header, body: Array(body), now: now)
    }
}

/// The parsed header: one `t`, and each `v1` that is 64 hex digits.
struct SignatureHeader: Equatable {
    var timestamp: Int64
    /// The digits as sent: the signed string uses them, not a re-formatted number.
    var timestampText: String
    var signatures: [[UInt8]]

    init(parsing header: String) throws(ProviderError) {
        var timestampText: String?
        var signatures: [[UInt8]] = []
        var sawV1 = false
        for rawPart in header.split(separator: ",", omittingEmptySubsequences: true) {
            let part = rawPart.trimmingCharacters(in: .whitespaces)
            guard let equals = part.firstIndex(of: "=") else { continue }
            let name = part[..<equals].trimmingCharacters(in: .whitespaces)
            let value = part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            switch name {
            case "t":
                guard timestampText == nil else {
                    throw ProviderError(.calendly, .malformedSignature, "the signature header has more than one t")
                }
                timestampText = value
            case "v1":
                sawV1 = true
                if let bytes = Self.hexBytes(value), bytes.count == 32 { signatures.append(bytes) }
            default:
                continue  // future schemes (v2…) and unknown fields
            }
        }
        guard let timestampText, !timestampText.isEmpty, timestampText.count <= 12,
            timestampText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let timestamp = Int64(timestampText)
        else {
            throw ProviderError(.calendly, .malformedSignature, "the signature header has no valid t=<unix seconds>")
        }
        guard !signatures.isEmpty else {
            throw ProviderError(.calendly, 
                .malformedSignature,
                sawV1 ? "no v1 value is 64 hex digits" : "the signature header has no v1")
        }
        self.timestamp = timestamp
        self.timestampText = timestampText
        self.signatures = signatures
    }

    /// Hex (either case) to bytes; nil on an odd length or a non-hex digit.
    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
