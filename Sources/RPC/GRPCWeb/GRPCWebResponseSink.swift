import NIOCore
import ProtoWire
import Transport

/// Turns the gRPC answer `GRPCCall` writes into gRPC-Web: the request's content type, the same
/// message frames, and the trailers as a last frame flagged 0x80 in the body, since browsers
/// cannot read HTTP trailers. Trailers-Only stays a head with the status in it, which gRPC-Web
/// allows. In text mode every frame goes out as its own base64 chunk, as grpc-web's
/// JavaScript client reads it.
final class GRPCWebResponseSink: ResponseSink {
    private let inner: ResponseWriter
    private let contentType: String
    private let isText: Bool

    init(inner: ResponseWriter, contentType: String, isText: Bool) {
        self.inner = inner
        self.contentType = contentType
        self.isText = isText
    }

    func write(_ parts: [ResponsePart], streamID: Int32) {
        var translated: [ResponsePart] = []
        translated.reserveCapacity(parts.count + 1)
        for part in parts {
            switch part {
            case .head(var head):
                head.headers.removeAll(named: "content-type")
                head.headers.append("content-type", self.contentType)
                translated.append(.head(head))
            case .body(let frame):
                translated.append(.body(self.encoded(frame)))
            case .end(let trailers):
                if let trailers { translated.append(.body(self.encoded(Self.trailerFrame(trailers)))) }
                translated.append(.end(trailers: nil))
            }
        }
        self.inner.write(translated)
    }

    func reset(streamID: Int32, reason: StreamResetReason) { self.inner.reset(reason) }
    func workStarted(streamID: Int32) { self.inner.workStarted() }
    func workFinished(streamID: Int32) { self.inner.workFinished() }

    private func encoded(_ frame: ByteBuffer) -> ByteBuffer {
        guard self.isText else { return frame }
        return ByteBuffer(string: Base64.encode(frame.readableBytesView))
    }

    /// `name: value\r\n` for each trailer, lower-case names, behind a 0x80 flag and the length.
    static func trailerFrame(_ trailers: HTTPFields) -> ByteBuffer {
        var block = ""
        for field in trailers { block += "\(field.name.lowercased()): \(field.value)\r\n" }
        var frame = ByteBuffer()
        frame.writeInteger(UInt8(0x80))
        frame.writeInteger(UInt32(block.utf8.count))
        frame.writeString(block)
        return frame
    }
}
