public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// One request to a provider's API (Clerk JWKS, Calendly, Stream, Trigger.dev).
public struct OutboundRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Data?

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The network seam of every provider client: the app passes `URLSessionHTTPClient`; tests
/// pass an in-process fake, or the real client pointed at a loopback server.
public protocol HTTPClient: Sendable {
    /// The status, header fields and whole body of the response. Throws only when there is no
    /// HTTP response at all (refused, timed out, TLS failure).
    func send(_ request: OutboundRequest) async throws -> OutboundResponse
}

extension HTTPClient {
    public func get(_ url: URL, headers: [String: String]) async throws -> OutboundResponse {
        try await self.send(OutboundRequest(method: "GET", url: url, headers: headers))
    }
}

/// `HTTPClient` over URLSession (libcurl on OpenSSL in FoundationNetworking on Linux: the one
/// TLS stack of the service). No caching: every provider call wants the current answer. No
/// redirects: a provider's API never redirects, and following one would send our keys to
/// wherever it points; the 3xx is the answer. Every request has one total deadline, and an
/// answer over `maxResponseBytes` is refused while it arrives, not after (`TransferDelegate`).
public struct URLSessionHTTPClient: HTTPClient {
    private let session: URLSession
    private let transfers: TransferDelegate
    private let timeout: TimeInterval
    /// The largest answer taken: providers answer a few KiB (a recordings list, a stats report).
    public static let maxResponseBytes = 4 << 20

    /// `timeout` bounds each request: callers wait for it. It is set on the session too: on
    /// Linux a request's own `timeoutInterval` gives way to the session's
    /// `timeoutIntervalForRequest` (60 s by default), so a provider that accepted the connection
    /// and never answered held its caller for a minute.
    public init(timeout: Duration = .seconds(5)) {
        let (seconds, attoseconds) = timeout.components
        self.timeout = Double(seconds) + Double(attoseconds) / 1e18
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.timeoutIntervalForRequest = self.timeout
        configuration.timeoutIntervalForResource = self.timeout
        self.transfers = TransferDelegate(limit: Self.maxResponseBytes)
        self.session = URLSession(configuration: configuration, delegate: self.transfers, delegateQueue: self.transfers.callbacks)
    }

    /// Not `URLSession.data(for:)`: on Linux its cancellation handler calls
    /// `URLSessionTask.cancel()` while the Swift task's status lock is held, and that deadlocks
    /// against a network thread completing the same task (swift-corelibs-foundation #5412, fixed
    /// after this toolchain); a job cancelled at shutdown then hung the process. Here a
    /// cancelled caller is released at once, and the URLSession task is cancelled from another
    /// thread, outside that lock.
    public func send(_ outbound: OutboundRequest) async throws -> OutboundResponse {
        var request = URLRequest(url: outbound.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: self.timeout)
        request.httpMethod = outbound.method
        for (name, value) in outbound.headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = outbound.body
        let exchange = PendingExchange()
        let task = self.session.dataTask(with: request)
        self.transfers.register(exchange, for: task)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if exchange.wait(continuation) {
                    task.resume()
                } else {
                    self.transfers.abandon(task)
                }
            }
        } onCancel: {
            exchange.finish(.failure(CancellationError()))
            self.transfers.abandon(task)
        }
    }
}

/// One request's answer, handed over once: by the task's completion, a refusal of its size or
/// cancellation, whichever comes first, even when cancellation comes before anyone waits.
final class PendingExchange: Sendable {
    typealias Answer = Result<OutboundResponse, any Error>

    private enum State {
        case idle
        case waiting(CheckedContinuation<OutboundResponse, any Error>)
        case finishedEarly(Answer)
        case done
    }

    private let state = Mutex(State.idle)

    /// False when the answer (a cancellation) came first: the continuation is resumed with it,
    /// and the request need not start.
    func wait(_ continuation: CheckedContinuation<OutboundResponse, any Error>) -> Bool {
        let early = self.state.withLock { state -> Answer? in
            guard case .finishedEarly(let answer) = state else {
                state = .waiting(continuation)
                return nil
            }
            state = .done
            return answer
        }
        guard let early else { return true }
        continuation.resume(with: early)
        return false
    }

    func finish(_ answer: Answer) {
        let continuation = self.state.withLock { state -> CheckedContinuation<OutboundResponse, any Error>? in
            switch state {
            case .idle:
                state = .finishedEarly(answer)
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .finishedEarly, .done:
                return nil
            }
        }
        continuation?.resume(with: answer)
    }
}

extension OutboundResponse {
    /// URLSession's answer. Its header names and values are `String`s; anything else is skipped.
    init(_ response: HTTPURLResponse, body: Data) {
        var headers: [String: String] = [:]
        for case (let name as String, let value as String) in response.allHeaderFields { headers[name] = value }
        self.init(status: response.statusCode, headers: headers, body: body)
    }
}
