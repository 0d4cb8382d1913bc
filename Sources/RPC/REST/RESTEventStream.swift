import NIOCore
import Synchronization
import Transport

/// A server-streaming method served to a REST client as server-sent events (WHATWG HTML,
/// "Server-sent events"): `text/event-stream`, one event per response message, its `data:`
/// line the message's JSON (one line: the JSON writer escapes every control character).
///
/// The head goes out with the first message, so an error before it is an ordinary REST error
/// with its HTTP status; an error after it is a last event named `error` whose data is the
/// REST error JSON. While the stream is open a comment line goes out every `heartbeat`, so
/// proxies do not close a quiet stream as idle.
///
/// Shared by the handler's task, the heartbeat task and the event loop (client gone), like
/// `GRPCCall`: writes happen under the lock, and whoever finishes first wins.
final class RESTEventStream: Sendable {
    private struct State {
        var headSent = false
        var finished = false
    }

    private let writer: ResponseWriter
    private let record: CallRecord
    private let state = Mutex(State())

    static let head = ResponseHead(
        status: 200, headers: ["content-type": "text/event-stream", "cache-control": "no-store"])
    private static let heartbeatLine = ByteBuffer(string: ": keep-alive\n\n")

    private init(writer: ResponseWriter, record: CallRecord) {
        self.writer = writer
        self.record = record
    }

    /// Runs `handle` in a task counted by `registry`, writing what it sends as events.
    static func start(
        _ handle: @escaping @Sendable (EncodedRequest, MessageEncoding, RPCContext, @escaping AnyMethodHandler.Emit)
            async throws -> Void,
        request: EncodedRequest, context: RPCContext, writer: ResponseWriter, record: CallRecord,
        registry: CallRegistry, heartbeat: Duration
    ) -> Task<Void, Never> {
        let stream = RESTEventStream(writer: writer, record: record)
        return registry.start(for: writer) {
            let heartbeats = Task { await stream.beat(every: heartbeat) }
            defer { heartbeats.cancel() }
            do {
                try await handle(request, .json, context) { try stream.send(json: $0) }
                // A handler that stops because the client left returns normally: count it so.
                stream.finish(Task.isCancelled ? RPCError(.cancelled, "the client left") : nil)
            } catch {
                stream.finish(context.status(for: error))
            }
        }
    }

    /// One message as an event. Throws once the stream is over.
    private func send(json: ByteBuffer) throws(CancellationError) {
        var event = ByteBuffer()
        event.reserveCapacity(json.readableBytes + 8)
        event.writeString("data: ")
        event.writeImmutableBuffer(json)
        event.writeString("\n\n")
        try self.state.withLock { state throws(CancellationError) in
            guard !state.finished else { throw CancellationError() }
            if state.headSent {
                self.writer.write(.body(event))
            } else {
                state.headSent = true
                self.writer.write([ResponsePart.head(Self.head), .body(event)].stamped(requestID: self.record.requestID))
            }
        }
    }

    private func beat(every interval: Duration) async {
        while (try? await Task.sleep(for: interval)) != nil {
            let open = self.state.withLock { state -> Bool in
                // Before the first event the status is not decided yet: nothing to keep open.
                if state.headSent, !state.finished { self.writer.write(.body(Self.heartbeatLine)) }
                return !state.finished
            }
            if !open { return }
        }
    }

    /// Ends the stream: OK ends the body; an error is a REST error before the first event and
    /// an `error` event after it.
    private func finish(_ error: RPCError?) {
        let finishedHere = self.state.withLock { state -> Bool in
            guard !state.finished else { return false }
            state.finished = true
            switch (error, state.headSent) {
            case (nil, true):
                self.writer.write(.end(trailers: nil))
            case (nil, false):
                // A stream that ended before its first message: an empty stream.
                self.writer.write([ResponsePart.head(Self.head), .end(trailers: nil)].stamped(requestID: self.record.requestID))
            case (let error?, true):
                var event = ByteBuffer(string: "event: error\ndata: ")
                event.writeBytes(RESTErrorBody.json(for: error))
                event.writeString("\n\n")
                self.writer.write([.body(event), .end(trailers: nil)])
            case (let error?, false):
                self.writer.write(RESTErrorBody.parts(for: error).stamped(requestID: self.record.requestID))
            }
            return true
        }
        guard finishedHere else { return }
        self.record.finished(error?.code ?? .ok)
    }
}
