public import OutboundHTTP
import Crypto
import Foundation

/// Checks a Stream webhook before anything reads it (providers.md §4.1):
/// `X-Signature` is the lowercase hex HMAC-SHA256 of the raw body under the API secret, and
/// `X-Api-Key` names our app (one URL may serve several apps). Both comparisons take constant
/// time. A gzip-compressed delivery is refused: the signature covers the uncompressed bytes
/// and this service does not inflate request bodies (turn compression off for the app).
public struct StreamWebhookVerifier: Sendable {
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

    /// Throws `compressedPayload`, `apiKeyMismatch`, `missingSignature` or `signatureMismatch`.
    public func verify(signature: String?, apiKey: String?, contentEncoding: String?, body: [UInt8]) throws(ProviderError) {
        if let encoding = contentEncoding?.lowercased(), encoding != "identity", !encoding.isEmpty {
            throw ProviderError(.stream, .compressedPayload, "Content-Encoding \(encoding) is not accepted; turn off webhook compression")
        }
        if body.starts(with: [0x1f, 0x8b]) {
            throw ProviderError(.stream, .compressedPayload, "the body is gzip data; turn off webhook compression")
        }
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
