import NIOCore
import ProtoWire
import Transport

/// Turns the gRPC answer `GRPCCall` writes into Connect's streaming protocol: HTTP 200 with the
/// request's `application/connect+…` type, the same enveloped messages (gRPC's prefix is
/// Connect's envelope), and last an envelope flagged 0x02 holding `{}` on success or
/// `{"error": {…}, "metadata": {…}}`, made from the gRPC status. A Trailers-Only answer (the
/// call failed before any message) arrives as one batch, head then end, and becomes a head and
/// that end-of-stream message.
final class ConnectStreamResponseSink: ResponseSink {
    private let inner: ResponseWriter
    private let contentType: String

    /// Fields that carry the status in gRPC; in Connect they move into the end-of-stream message.
    private static let statusFields = ["grpc-status", "grpc-message", "retry-after"]

    init(inner: ResponseWriter, contentType: String) {
        self.inner = inner
        self.contentType = contentType
    }

    func write(_ parts: [ResponsePart], streamID: Int32) {
        var translated: [ResponsePart] = []
        translated.reserveCapacity(parts.count + 1)
        var trailersOnly: HTTPFields?
        for part in parts {
            switch part {
            case .head(var head):
                if head.headers["grpc-status"] != nil { trailersOnly = head.headers }
                for name in Self.statusFields + ["content-type"] { head.headers.removeAll(named: name) }
                head.headers.append("content-type", self.contentType)
                head.status = 200
                translated.append(.head(head))
            case .body:
                translated.append(part)
            case .end(let trailers):
                translated.append(.body(Self.endOfStream(trailers ?? trailersOnly ?? HTTPFields())))
                translated.append(.end(trailers: nil))
            }
        }
        self.inner.write(translated)
    }

    func reset(streamID: Int32, reason: StreamResetReason) { self.inner.reset(reason) }
    func workStarted(streamID: Int32) { self.inner.workStarted() }
    func workFinished(streamID: Int32) { self.inner.workFinished() }

    /// The end-of-stream envelope for a gRPC status given as trailers.
    static func endOfStream(_ trailers: HTTPFields) -> ByteBuffer {
        let code = RPCError.Code(rawValue: trailers["grpc-status"].flatMap { Int($0) } ?? RPCError.Code.unknown.rawValue)
        var members: [JSONMember] = []
        if code != .ok {
            let message = trailers["grpc-message"].flatMap { PercentDecoding.decode($0[...]) } ?? ""
            members.append(JSONMember(key: "error", value: ConnectError.json(for: RPCError(code, message))))
        }
        if let retryAfter = trailers["retry-after"] {
            members.append(
                JSONMember(key: "metadata", value: .object([JSONMember(key: "retry-after", value: .array([.string(retryAfter)]))])))
        }
        let json = JSONValue.object(members).serializedUTF8Bytes()
        var envelope = ByteBuffer()
        envelope.writeInteger(UInt8(0x02))
        envelope.writeInteger(UInt32(json.count))
        envelope.writeBytes(json)
        return envelope
    }
}
