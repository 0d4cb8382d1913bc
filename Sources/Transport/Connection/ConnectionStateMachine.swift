import NIOCore

/// The life of one connection, HTTP/1.1 or HTTP/2, as a value: the connection's handler reports
/// what happened, with the time, and carries out the actions returned. Every deadline of the
/// connection and every request in progress on it live here, so "how long may a client take"
/// and "how much may it have running" are decided in one place and tested as transcripts.
///
/// A request is in progress from its head until it is *released*: its stream has closed (or,
/// on HTTP/1.1, its response ended) and its handler's work has finished. A stream the client
/// reset keeps its place until its handler returns, so resetting streams cannot pile up
/// handlers.
struct ConnectionStateMachine {
    struct Configuration: Equatable {
        var headerTimeout: TimeAmount
        var idleTimeout: TimeAmount
        var bodyTimeout: TimeAmount
        var maxRequests: Int

        init(_ limits: ConnectionLimits) {
            self.headerTimeout = limits.headerTimeout
            self.idleTimeout = limits.idleTimeout
            self.bodyTimeout = limits.bodyTimeout
            self.maxRequests = limits.maxRequestsPerConnection
        }
    }

    enum State: Equatable {
        /// Accepted; the HTTP/2 preface or the first HTTP/1.1 request head is not complete.
        case awaitingPreface
        case serving
        /// Shutting down: closes once nothing is in progress. Requests still arriving are
        /// served (on HTTP/2 the GOAWAY sequence decides which streams a client may still
        /// open).
        case draining
        /// The socket is gone; handlers may still be finishing.
        case closed
    }

    enum Admission: Equatable {
        /// Serve it; make sure a timer fires by `armBy` (its body deadline).
        case accept(armBy: NIODeadline)
        /// Over `maxRequests`, or the connection is gone: refuse without running a handler.
        case refuse
    }

    /// What a request's stream closing or its handler finishing leads to.
    struct Outcome: Equatable {
        /// The response had not ended when the stream closed: stop the handler.
        var cancelHandler = false
        /// The request no longer counts (its buffered body can be let go).
        var released = false
        /// Make sure the timer fires by then (the connection turned idle or awaits a head).
        var armBy: NIODeadline?
        var action: Action?
    }

    enum Action: Equatable {
        /// The preface or a request head did not arrive within `headerTimeout`.
        case closeSlowHeaders
        /// No request in progress for `idleTimeout`: close politely (HTTP/2: GOAWAY first).
        case closeIdle
        /// This request's body did not arrive within `bodyTimeout`: end it, cancel its handler.
        case expireRequest(Int32)
        /// Response data waited on the client (its flow-control windows, or a socket it does not
        /// read) for `bodyTimeout` without moving: close the connection.
        case closeStalledResponses
        /// Draining, and the last request was released.
        case closeDrained
    }

    private struct Request {
        /// The request's stream, from the client's side.
        enum Stream: Equatable {
            /// The body is arriving and must be complete by `deadline`.
            case receivingBody(deadline: NIODeadline)
            /// The client has sent all of it; the response may still be going out.
            case bodyReceived
            /// Closed normally, reset by either side, or (HTTP/1.1) the exchange is over.
            case closed

            var bodyDeadline: NIODeadline? {
                if case .receivingBody(let deadline) = self { return deadline }
                return nil
            }
        }

        var stream: Stream
        /// The response's end has been handed to the protocol.
        var responseEnded = false
        /// The handler's task has started and not returned.
        var workRunning = false
    }

    let configuration: Configuration
    private(set) var state = State.awaitingPreface
    private var requests = StreamTable<Request>()
    private var prefaceDeadline: NIODeadline?
    private var headerDeadline: NIODeadline?
    private var idleDeadline: NIODeadline?
    /// While response data waits on the client: when it must have moved by.
    private var sendDeadline: NIODeadline?
    /// HTTP/1.1: bytes of a pipelined request arrived while another was in progress; its head
    /// is timed from the moment that request is released.
    private var headerBytesPending = false

    /// `acceptedAt`: when the socket was accepted; the preface is timed from then.
    init(configuration: Configuration, acceptedAt: NIODeadline) {
        self.configuration = configuration
        self.prefaceDeadline = acceptedAt + configuration.headerTimeout
    }

    /// Requests in progress (streams open, or handlers still running).
    var requestCount: Int { self.requests.count }

    /// The earliest deadline, for the connection's one timer.
    var nextDeadline: NIODeadline? {
        var next = [self.prefaceDeadline, self.headerDeadline, self.idleDeadline, self.sendDeadline].compactMap { $0 }.min()
        for request in self.requests.values {
            guard let deadline = request.stream.bodyDeadline else { continue }
            if next == nil || deadline < next! { next = deadline }
        }
        return next
    }

    // MARK: the client's side

    /// HTTP/2: the client's first SETTINGS frame has arrived after the magic.
    mutating func prefaceReceived(now: NIODeadline) -> NIODeadline? {
        guard self.state == .awaitingPreface else { return nil }
        self.state = .serving
        self.prefaceDeadline = nil
        return self.becomeIdleIfNothingInProgress(now: now)
    }

    /// HTTP/2: a request's header block began. It must end within `headerTimeout`.
    mutating func headerBlockStarted(now: NIODeadline) -> NIODeadline? {
        guard self.headerDeadline == nil, self.state != .closed else { return nil }
        self.headerDeadline = now + self.configuration.headerTimeout
        return self.headerDeadline
    }

    /// HTTP/1.1: bytes arrived. Between requests they start a head, timed from now; during a
    /// request whose body has ended they belong to a pipelined head, timed from that request's
    /// release (the head cannot be read before it).
    mutating func bytesArrived(now: NIODeadline) -> NIODeadline? {
        guard self.state != .awaitingPreface, self.state != .closed else { return nil }
        if self.requests.isEmpty { return self.headerBlockStarted(now: now) }
        if self.requests.values.contains(where: { $0.stream.bodyDeadline == nil }) { self.headerBytesPending = true }
        return nil
    }

    /// A request head arrived (HTTP/2: a stream opened).
    mutating func requestOpened(_ id: Int32, now: NIODeadline) -> Admission {
        self.headerDeadline = nil
        self.headerBytesPending = false
        if self.state == .awaitingPreface {
            self.state = .serving
            self.prefaceDeadline = nil
        }
        guard self.state != .closed, self.requests.count < self.configuration.maxRequests else { return .refuse }
        let deadline = now + self.configuration.bodyTimeout
        self.requests[id] = Request(stream: .receivingBody(deadline: deadline))
        self.idleDeadline = nil
        return .accept(armBy: deadline)
    }

    /// The request's body is complete (END_STREAM, or the end of an HTTP/1.1 message).
    mutating func requestEnded(_ id: Int32) {
        self.requests.update(id) { request in
            if case .receivingBody = request.stream { request.stream = .bodyReceived }
        }
    }

    // MARK: the server's side

    /// The response's end has been handed to the protocol: a stream closing after this is a
    /// normal close, not a cancellation.
    mutating func responseEnded(_ id: Int32) {
        self.requests.update(id) { $0.responseEnded = true }
    }

    /// The request's handler continues off the event loop (a task).
    mutating func workStarted(_ id: Int32) {
        self.requests.update(id) { $0.workRunning = true }
    }

    /// The request's handler has returned.
    mutating func workFinished(_ id: Int32, now: NIODeadline) -> Outcome {
        guard var request = self.requests[id] else { return Outcome() }
        request.workRunning = false
        return self.update(id, request, now: now)
    }

    /// The request's stream is gone: closed normally, reset by either side, or (HTTP/1.1) the
    /// exchange finished.
    mutating func streamClosed(_ id: Int32, now: NIODeadline) -> Outcome {
        guard var request = self.requests[id] else { return Outcome() }
        request.stream = .closed
        var outcome = self.update(id, request, now: now)
        outcome.cancelHandler = !request.responseEnded
        return outcome
    }

    /// Stores the request, or releases it once its stream is closed and its handler done.
    /// (One dictionary write either way: this runs twice per request.)
    private mutating func update(_ id: Int32, _ request: Request, now: NIODeadline) -> Outcome {
        guard request.stream == .closed, !request.workRunning else {
            self.requests[id] = request
            return Outcome()
        }
        self.requests[id] = nil
        var outcome = Outcome(released: true)
        guard self.requests.isEmpty else { return outcome }
        if self.state == .draining {
            outcome.action = .closeDrained
        } else if self.headerBytesPending {
            self.headerBytesPending = false
            outcome.armBy = self.headerBlockStarted(now: now)
        } else {
            outcome.armBy = self.becomeIdleIfNothingInProgress(now: now)
        }
        return outcome
    }

    private mutating func becomeIdleIfNothingInProgress(now: NIODeadline) -> NIODeadline? {
        guard self.requests.isEmpty, self.state == .serving else { return nil }
        self.idleDeadline = now + self.configuration.idleTimeout
        return self.idleDeadline
    }

    /// Response data is waiting on the client. It must move within `bodyTimeout`; each bit of
    /// progress starts the clock again, so a slow reader is fine and one that stopped is not.
    mutating func responseWaiting(progressed: Bool, now: NIODeadline) -> NIODeadline? {
        guard self.state != .closed, progressed || self.sendDeadline == nil else { return nil }
        self.sendDeadline = now + self.configuration.bodyTimeout
        return self.sendDeadline
    }

    /// No response data waits on the client.
    mutating func responsesDrained() {
        self.sendDeadline = nil
    }

    // MARK: the connection

    /// Shutdown: finish what is in progress, accept nothing new.
    mutating func quiesce() -> Action? {
        switch self.state {
        case .awaitingPreface, .serving:
            self.state = .draining
            self.idleDeadline = nil
            return self.requests.isEmpty ? .closeDrained : nil
        case .draining, .closed:
            return nil
        }
    }

    /// The socket closed. Returns the requests whose handlers must be cancelled (their
    /// responses had not ended); requests stay counted until their handlers finish.
    mutating func connectionClosed() -> [Int32] {
        self.state = .closed
        self.prefaceDeadline = nil
        self.headerDeadline = nil
        self.idleDeadline = nil
        self.sendDeadline = nil
        var cancelled: [Int32] = []
        for (id, request) in self.requests {
            if !request.responseEnded { cancelled.append(id) }
            if request.workRunning {
                self.requests[id] = Request(stream: .closed, responseEnded: true, workRunning: true)
            } else {
                self.requests[id] = nil
            }
        }
        return cancelled.sorted()
    }

    /// The connection's timer fired: what is overdue, in a stable order.
    mutating func timerFired(now: NIODeadline) -> [Action] {
        if let deadline = self.prefaceDeadline, deadline <= now {
            self.prefaceDeadline = nil
            return [.closeSlowHeaders]
        }
        if let deadline = self.headerDeadline, deadline <= now {
            self.headerDeadline = nil
            return [.closeSlowHeaders]
        }
        var actions: [Action] = []
        for (id, request) in self.requests {
            guard let deadline = request.stream.bodyDeadline, deadline <= now else { continue }
            self.requests.update(id) { $0.stream = .bodyReceived }
            actions.append(.expireRequest(id))
        }
        actions.sort { lhs, rhs in
            guard case .expireRequest(let a) = lhs, case .expireRequest(let b) = rhs else { return false }
            return a < b
        }
        if let deadline = self.idleDeadline, deadline <= now {
            self.idleDeadline = nil
            actions.append(.closeIdle)
        }
        if let deadline = self.sendDeadline, deadline <= now {
            self.sendDeadline = nil
            actions.append(.closeStalledResponses)
        }
        return actions
    }
}
