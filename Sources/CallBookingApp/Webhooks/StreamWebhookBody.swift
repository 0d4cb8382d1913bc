import NIOCore
import RPC
import StreamVideo

/// The JSON a Stream delivery was signed over, from the bytes that arrived: the body itself,
/// or, when the app's webhook compression is on, the body inflated (providers.md §4.1: the
/// signature covers the uncompressed JSON, so inflating comes before verifying). Inflation
/// stops at `WebhookLimits.maxInflatedBodySize`.
///
/// Each refusal is a 4xx that Stream does not retry, because sending the same bytes again
/// cannot help: 415 for an encoding other than gzip or identity, 400 for a body that claims
/// gzip and is not, 413 for one that inflates past the limit.
enum StreamWebhookBody {
    struct Refusal: Error {
        let code: RPCError.Code
        /// The HTTP status, more exact than the code's (413, 415).
        let status: Int
        let detail: String
    }

    static func signedJSON(of received: ByteBuffer, contentEncoding: String?) throws(Refusal) -> [UInt8] {
        let encoding: StreamWebhookVerifier.BodyEncoding
        do {
            encoding = try StreamWebhookVerifier.encoding(
                contentEncoding: contentEncoding, body: Array(received.readableBytesView.prefix(2)))
        } catch {
            throw Refusal(code: .unimplemented, status: 415, detail: error.detail)
        }
        switch encoding {
        case .identity:
            return Array(received.readableBytesView)
        case .gzip:
            do throws(DecompressionError) {
                return Array(try Gzip.decompress(received, limit: WebhookLimits.maxInflatedBodySize).readableBytesView)
            } catch {
                switch error {
                case .tooLarge(let limit):
                    throw Refusal(
                        code: .resourceExhausted, status: 413, detail: "the gzip body inflates to more than \(limit) bytes")
                case .malformed(let reason):
                    throw Refusal(code: .invalidArgument, status: 400, detail: "the body is not valid gzip data (\(reason))")
                }
            }
        }
    }
}
