import Crypto
import NIOCore

/// One file of the operator page as it is served: its bytes, media type and a strong ETag
/// (a SHA-256 prefix of the bytes), all computed once at start.
struct OpsPageAsset: Sendable {
    let body: ByteBuffer
    let contentType: String
    let etag: String

    init(name: String, bytes: [UInt8]) {
        self.body = ByteBuffer(bytes: bytes)
        self.contentType = Self.mediaType(forFileNamed: name)
        let digest = SHA256.hash(bytes).prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }
        self.etag = "\"\(digest.joined())\""
    }

    /// By extension; text types say UTF-8, which is what the embedder accepts.
    static func mediaType(forFileNamed name: String) -> String {
        switch name.split(separator: ".").last.map({ $0.lowercased() }) {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml; charset=utf-8"
        case "json": "application/json"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
