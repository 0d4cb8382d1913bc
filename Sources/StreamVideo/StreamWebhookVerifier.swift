public import OutboundHTTP
import Crypto
import Foundation

/// Checks a Stream webhook before anything reads it (providers.md §4.1):
/// `X-Signature` is the lowercase hex HMAC-SHA256 of the JSON body under the API secret, and
/// `X-Api-Key` names our app (one URL may serve several apps). Both comparisons take constant
/// time. With the app's webhook compression on, the body arrives gzip-compressed and the
/// signature covers the uncompressed JSON: `encoding(contentEncoding:body:)` says whether the
/// caller must inflate first, and `verify` then gets the inflated bytes.
public struct StreamWebhookVerifier: Sendable {
    /// How a delivery's body is encoded.
    public enum BodyEncoding: Sendable, Equatable {
        /// The JSON itself: verify it as it is.
        case identity
        /// gzip (RFC 1952): inflate, then verify the result.
        case gzip
    }

    public static let signatureHeader = "x-signature"
    public static let apiKeyHeader = "x-api-key"
    public static let webhookIDHeader = "x-webhook-id"

    private let apiKey: [UInt8]
    private let secret: [UInt8]

    /// An empty secret is refused: anyone can compute an HMAC under the empty key.
    public init(apiKey: String, secret: String) throws(ProviderError) {
        guard !secret.isEmpty, !apiKey.isEmpty else {
            throw ProviderError(.stream, .invalidArgument, "the Stream API key and secret must not be empty")
        }
        self.apiKey = Array(apiKey.utf8)
        self.secret = Array(secret.utf8)
    }

    /// The encoding of a delivery from its `Content-Encoding` and its first bytes. gzip is
    /// `gzip` (or its alias `x-gzip`, RFC 9110 §8.4.1.3) or, whatever the header says, a body
    /// that starts with gzip's magic bytes `1f 8b`, as Stream's SDKs detect it (JSON never starts
    /// with them). No header, an empty one or `identity` is the JSON itself. Anything else
    /// (`br`, `deflate`, a list of codings) throws `unsupportedEncoding`.
    public static func encoding(contentEncoding: String?, body: [UInt8]) throws(ProviderError) -> BodyEncoding {
        let declared = (contentEncoding ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        switch declared {
        case "gzip", "x-gzip": return .gzip
        case "", "identity": return body.starts(with: [0x1f, 0x8b]) ? .gzip : .identity
        default:
            let shown = declared.count > 40 ? String(declared.prefix(40)) + "…" : declared
            throw ProviderError(
                .stream, .unsupportedEncoding, "Content-Encoding \(shown) is not accepted; send gzip or identity")
        }
    }

    /// `body` is the JSON Stream signed: for a gzip delivery, the inflated bytes. Throws
    /// `apiKeyMismatch`, `missingSignature` or `signatureMismatch`.
    public func verify(signature: String?, apiKey: String?, body: [UInt8]) throws(ProviderError) {
        guard let apiKey, ConstantTime.equals(Array(apiKey.utf8), self.apiKey) else {
            throw ProviderError(.stream, .apiKeyMismatch, "X-Api-Key is missing or not this app's key")
        }
        guard let signature, let mac = Hex.decode(signature.trimmingCharacters(in: .whitespaces)), mac.count == 32
        else {
            throw ProviderError(.stream, .missingSignature, "X-Signature is missing or not 64 hex digits")
        }
        let expected = HMACSHA256.authenticate(key: self.secret, message: body)
        guard ConstantTime.equals(mac, expected) else {
            throw ProviderError(.stream, .signatureMismatch, "X-Signature does not match the body")
        }
    }

    /// The lowercase hex signature Stream would send for `body` (for tests and tools).
    public func signature(for body: [UInt8]) -> String {
        Hex.encode(HMACSHA256.authenticate(key: self.secret, message: body))
    }
}
