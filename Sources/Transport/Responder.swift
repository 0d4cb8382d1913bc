public import NIOCore

/// The one entry point from the transport into the application: it sees HTTP, not RPC.
///
/// `makeRequestHandler` runs on the connection's event loop as soon as a request head has
/// arrived; the returned handler then receives the body and end of the request on that same
/// loop. Responses go out through the `ResponseWriter`, from any thread.
public protocol HTTPResponder: Sendable {
    func makeRequestHandler(head: RequestHead, writer: ResponseWriter) -> any RequestHandler
}

/// Receives one request's body. Confined to the connection's event loop: implementations
/// must not block and should hand real work to a task, announced with
/// `ResponseWriter.workStarted()` so the connection counts it until it returns.
public protocol RequestHandler: AnyObject {
    func receiveBody(_ buffer: ByteBuffer)
    /// The client finished its request (END_STREAM, or the end of an HTTP/1.1 message).
    func receiveEnd()
    /// The stream closed before the response ended: the peer reset it with any code, the
    /// connection went away, or the request body took too long. Called at most once; nothing
    /// written afterwards reaches the peer, and the handler's work should stop.
    func cancel()
}

/// One piece of a response. A batch `[.head, .end(trailers)]` with no body is sent as a
/// single HEADERS frame with END_STREAM on HTTP/2 (gRPC's Trailers-Only), its fields merged.
public enum ResponsePart: Sendable {
    case head(ResponseHead)
    case body(ByteBuffer)
    /// The end of the response, with trailers when the protocol has them (HTTP/2).
    case end(trailers: HTTPFields?)
}

/// Why a stream is being abandoned by the server.
public enum StreamResetReason: Sendable {
    /// The server gave up on the request (deadline, shutdown): RST_STREAM(CANCEL).
    case cancel
    /// The server hit an internal error mid-response: RST_STREAM(INTERNAL_ERROR).
    case internalError
}

/// Where a connection's handler accepts response parts for one of its requests.
public protocol ResponseSink: Sendable {
    func write(_ parts: [ResponsePart], streamID: Int32)
    func reset(streamID: Int32, reason: StreamResetReason)
    /// On the connection's event loop.
    func workStarted(streamID: Int32)
    /// From any thread.
    func workFinished(streamID: Int32)
}

/// Writes one request's response. Sendable so that async handlers can answer from any
/// thread; each call hops to the connection's event loop once, and calls are delivered in
/// the order they were made.
public struct ResponseWriter: Sendable {
    private let sink: any ResponseSink
    private let streamID: Int32

    public init(sink: any ResponseSink, streamID: Int32) {
        self.sink = sink
        self.streamID = streamID
    }

    public func write(_ parts: [ResponsePart]) {
        self.sink.write(parts, streamID: self.streamID)
    }

    public func write(_ part: ResponsePart) {
        self.sink.write([part], streamID: self.streamID)
    }

    public func reset(_ reason: StreamResetReason) {
        self.sink.reset(streamID: self.streamID, reason: reason)
    }

    /// The request's handler continues in a task. Until `workFinished()` the request counts
    /// against its connection's `maxRequestsPerConnection` and keeps the connection counted in
    /// `maxConnections`, even after the client reset it or closed the connection: a client
    /// cannot start more work than that by abandoning requests. Call on the event loop, from
    /// `receiveEnd` (or `receiveBody`), at most once per request.
    public func workStarted() {
        self.sink.workStarted(streamID: self.streamID)
    }

    /// The work announced by `workStarted()` has returned. From any thread, exactly once.
    public func workFinished() {
        self.sink.workFinished(streamID: self.streamID)
    }
}
