import Synchronization
import Transport

/// The answer of one Connect unary call, shared by the handler's task, the deadline timer and
/// the event loop (client gone). The first answer wins; the others are dropped, and whoever
/// ends the call stops the rest.
final class ConnectUnaryCall: Sendable {
    private struct State {
        var finished = false
        var task: Task<Void, Never>?
        var timer: Task<Void, Never>?
    }

    private let writer: ResponseWriter
    private let record: CallRecord
    private let state = Mutex(State())

    init(writer: ResponseWriter, record: CallRecord) {
        self.writer = writer
        self.record = record
    }

    func attach(task: Task<Void, Never>) {
        if self.state.withLock({ state in
            state.task = task
            return state.finished
        }) { task.cancel() }
    }

    /// Answers DEADLINE_EXCEEDED when `deadline` passes before the handler answers.
    func enforce(_ deadline: ContinuousClock.Instant) {
        let timer = Task {
            do {
                try await Task.sleep(until: deadline)
            } catch {
                return
            }
            self.fail(RPCError(.deadlineExceeded, "deadline exceeded"))
        }
        if self.state.withLock({ state in
            state.timer = timer
            return state.finished
        }) { timer.cancel() }
    }

    func succeed(_ parts: [ResponsePart]) {
        self.finish(parts, code: .ok)
    }

    func fail(_ refusal: ConnectRefusal) {
        var headers = refusal.headers
        if let seconds = refusal.error.retryAfterSeconds { headers.append("retry-after", String(seconds)) }
        self.finish(
            ConnectError.parts(for: refusal.error, status: refusal.status, extraHeaders: headers), code: refusal.error.code)
    }

    func fail(_ error: RPCError) {
        self.fail(ConnectRefusal(error))
    }

    /// The client left: nothing can be answered; stop the work.
    func cancel() {
        guard let tasks = self.end() else { return }
        tasks.task?.cancel()
        tasks.timer?.cancel()
        self.record.finished(.cancelled)
    }

    private func finish(_ parts: [ResponsePart], code: RPCError.Code) {
        guard let tasks = self.end() else { return }
        self.record.respond(parts, code: code, through: self.writer)
        tasks.timer?.cancel()
        if code != .ok { tasks.task?.cancel() }
    }

    private func end() -> (task: Task<Void, Never>?, timer: Task<Void, Never>?)? {
        self.state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            return (state.task, state.timer)
        }
    }
}

extension ConnectRefusal {
    init(_ error: RPCError) {
        self.error = error
        self.status = nil
    }
}
