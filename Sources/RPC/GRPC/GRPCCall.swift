import NIOCore
import Synchronization
import Transport

/// The response side of one gRPC call, shared by the handler's task, the deadline timer and
/// the event loop (client reset). Whoever finishes first wins; later writes are dropped.
/// Writes happen under the lock so that their order on the wire is the order decided here.
final class GRPCCall: Sendable {
    private struct State {
        var headSent = false
        var finished = false
        var task: Task<Void, Never>?
        var timer: Task<Void, Never>?
    }

    private let writer: ResponseWriter
    private let responseHead: ResponseHead
    private let record: CallRecord
    private let state = Mutex(State())

    static let protobufResponseHead = ResponseHead(
        status: 200, headers: ["content-type": "application/grpc"], resetsUnfinishedRequest: true)
    static let jsonResponseHead = ResponseHead(
        status: 200, headers: ["content-type": "application/grpc+json"], resetsUnfinishedRequest: true)
    private static let okTrailers: HTTPFields = ["grpc-status": "0"]

    /// `responseHead` is one of the static heads above, plus the call's `x-request-id`.
    /// `record` is counted and timed once, by whoever finishes the call.
    init(writer: ResponseWriter, responseHead: ResponseHead, record: CallRecord) {
        self.writer = writer
        var head = responseHead
        head.headers.append(RequestID.header, record.requestID)
        self.responseHead = head
        self.record = record
    }

    var isFinished: Bool { self.state.withLock { $0.finished } }

    /// The task running the call's handler, cancelled when the call finishes first. With a
    /// deadline, the call ends DEADLINE_EXCEEDED when it passes first (cancelling the handler);
    /// the timer is cancelled as soon as the call finishes otherwise.
    func attach(_ task: Task<Void, Never>, deadline: ContinuousClock.Instant?) {
        let finished = self.state.withLock { state -> Bool in
            state.task = task
            return state.finished
        }
        if finished { task.cancel() }
        if let deadline { self.enforce(deadline) }
    }

    private func enforce(_ deadline: ContinuousClock.Instant) {
        let timer = Task {
            do {
                try await Task.sleep(until: deadline)
            } catch {
                return
            }
            self.finish(status: .deadlineExceeded, message: "deadline exceeded")
        }
        let finished = self.state.withLock { state -> Bool in
            state.timer = timer
            return state.finished
        }
        if finished { timer.cancel() }
    }

    /// A unary success: headers, the (framed) message and OK trailers in one hop.
    func finish(message: ByteBuffer) {
        let timer = self.state.withLock { state -> Task<Void, Never>?? in
            guard !state.finished else { return nil }
            state.finished = true
            self.writer.write(
                state.headSent
                    ? [.body(message), .end(trailers: Self.okTrailers)]
                    : [.head(self.responseHead), .body(message), .end(trailers: Self.okTrailers)])
            return .some(state.timer)
        }
        guard let timer else { return }
        timer?.cancel()
        self.record.finished(.ok)
    }

    /// One (framed) message of a streaming response. Throws once the call is over.
    func send(message: ByteBuffer) throws {
        try self.state.withLock { state throws(CancellationError) in
            guard !state.finished else { throw CancellationError() }
            if state.headSent {
                self.writer.write(.body(message))
            } else {
                state.headSent = true
                self.writer.write([.head(self.responseHead), .body(message)])
            }
        }
    }

    /// Ends the call with `status`: as trailers after a response head, or Trailers-Only when
    /// nothing was sent yet. Returns false if the call had already finished.
    @discardableResult
    func finish(status code: RPCError.Code, message: String?, retryAfter: Int? = nil) -> Bool {
        let tasks = self.state.withLock { state -> (handler: Task<Void, Never>?, timer: Task<Void, Never>?)? in
            guard !state.finished else { return nil }
            state.finished = true
            if state.headSent {
                self.writer.write(.end(trailers: Self.trailers(code, message, retryAfter: retryAfter)))
            } else {
                var head = self.responseHead
                head.headers.append(contentsOf: Self.trailers(code, message, retryAfter: retryAfter))
                self.writer.write([.head(head), .end(trailers: nil)])
            }
            return (state.task, state.timer)
        }
        guard let tasks else { return false }
        tasks.timer?.cancel()
        if code != .ok { tasks.handler?.cancel() }
        self.record.finished(code)
        return true
    }

    /// Ends the call with the status of the error its handler threw, unless the call had
    /// already finished: the error is then the cancellation that finishing caused.
    func finish(failure error: any Error, context: RPCContext) {
        guard !(Task.isCancelled && self.isFinished) else { return }
        let status = context.status(for: error)
        self.finish(status: status.code, message: status.message, retryAfter: status.retryAfterSeconds)
    }

    /// The client reset the stream: nothing more can be sent; stop the handler.
    func cancel() {
        let (tasks, wasFinished) = self.state.withLock { state in
            let wasFinished = state.finished
            state.finished = true
            return ((state.task, state.timer), wasFinished)
        }
        tasks.0?.cancel()
        tasks.1?.cancel()
        if !wasFinished { self.record.finished(.cancelled) }
    }

    static func trailers(_ code: RPCError.Code, _ message: String?, retryAfter: Int? = nil) -> HTTPFields {
        if code == .ok, message == nil { return Self.okTrailers }
        var fields = HTTPFields()
        fields.append("grpc-status", String(code.rawValue))
        if let message, !message.isEmpty {
            fields.append("grpc-message", GRPCStatusMessage.percentEncode(message))
        }
        if let retryAfter { fields.append("retry-after", String(retryAfter)) }
        return fields
    }
}
