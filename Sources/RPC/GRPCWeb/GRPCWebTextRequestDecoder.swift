import NIOCore
import ProtoWire
import Transport

/// The request side of `application/grpc-web-text`: the body is base64 of the binary gRPC-Web
/// body, possibly in chunks that each carry their own padding, split anywhere by the
/// transport. Whole 4-character groups are decoded as they arrive and handed on; a padded
/// group ends a chunk. Anything that is not base64 fails the call.
final class GRPCWebTextRequestDecoder: RequestHandler {
    private let inner: any RequestHandler
    /// Characters of a group not yet complete (at most 3).
    private var pending: [UInt8] = []
    private var failed = false

    init(inner: any RequestHandler) {
        self.inner = inner
    }

    func receiveBody(_ buffer: ByteBuffer) {
        guard !self.failed else { return }
        var text = self.pending
        text.append(contentsOf: buffer.readableBytesView.lazy.filter { $0 != 0x0D && $0 != 0x0A })
        let whole = text.count - text.count % 4
        self.pending = Array(text[whole...])
        var decoded = ByteBuffer()
        var start = 0
        var index = 0
        // Decode runs of groups; a group with padding closes its run.
        while index < whole {
            let groupEnd = index + 4
            if text[groupEnd - 1] == UInt8(ascii: "=") || groupEnd == whole {
                guard let bytes = Base64.decode(String(decoding: text[start..<groupEnd], as: UTF8.self)) else {
                    self.fail("the grpc-web-text body is not valid base64")
                    return
                }
                decoded.writeBytes(bytes)
                start = groupEnd
            }
            index = groupEnd
        }
        if decoded.readableBytes > 0 { self.inner.receiveBody(decoded) }
    }

    func receiveEnd() {
        guard !self.failed else { return }
        guard self.pending.isEmpty else {
            self.fail("the grpc-web-text body ends inside a base64 group")
            return
        }
        self.inner.receiveEnd()
    }

    func cancel() {
        self.inner.cancel()
    }

    /// The framing is broken: INTERNAL, as for a malformed binary frame. (A handler that is
    /// not a `GRPCRequestHandler` has answered already.)
    private func fail(_ message: String) {
        self.failed = true
        (self.inner as? GRPCRequestHandler)?.fail(.internal, message)
    }
}
