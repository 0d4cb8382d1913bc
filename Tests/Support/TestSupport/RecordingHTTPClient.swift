public import Foundation
public import OutboundHTTP
import Synchronization

/// A provider at the network boundary, in process: records every request a client sends and
/// answers it from `respond` (nil: no answer at all, as a refused connection). Tests of each
/// provider client check the recorded bytes against the provider's documented shape.
public final class RecordingHTTPClient: HTTPClient, Sendable {
    public struct Request: Sendable, Equatable {
        public var method: String
        public var url: URL
        public var headers: [String: String]
        public var body: Data?

        public init(method: String = "GET", url: URL, headers: [String: String], body: Data? = nil) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
        }

        /// A request as a test expects it; `url` must be a valid URL.
        public init(method: String = "GET", url: String, headers: [String: String], body: Data? = nil) {
            guard let parsed = URL(string: url) else { preconditionFailure("not a URL: \(url)") }
            self.init(method: method, url: parsed, headers: headers, body: body)
        }

        public var path: String { self.url.path }
        public var query: [String: String] {
            var result: [String: String] = [:]
            for item in URLComponents(url: self.url, resolvingAgainstBaseURL: false)?.queryItems ?? [] {
                result[item.name] = item.value
            }
            return result
        }
        /// The body as a JSON object, when it is one.
        public var json: [String: Any]? { self.body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } }
    }

    public typealias Responder = @Sendable (Request) -> (status: Int, body: Data)?
    /// Answers with header fields too (a `Cache-Control`, say).
    public typealias ResponseResponder = @Sendable (Request) -> OutboundResponse?

    /// Thrown for a request `respond` does not answer.
    public struct Unreachable: Error {}

    private struct State {
        var requests: [Request] = []
        var respond: ResponseResponder
    }

    private let state: Mutex<State>
    /// Each request waits this long before its answer, so concurrent requests overlap.
    private let delay: Duration

    /// Answers with text bodies.
    public convenience init(delay: Duration = .zero, _ respond: @escaping @Sendable (Request) -> (status: Int, body: String)?) {
        self.init(delay: delay, bytes: { request in respond(request).map { ($0.status, Data($0.body.utf8)) } })
    }

    /// Answers with byte bodies.
    public convenience init(delay: Duration = .zero, bytes respond: @escaping Responder) {
        self.init(delay: delay, responses: Self.withoutHeaders(respond))
    }

    /// Answers with whole responses, header fields included.
    public init(delay: Duration = .zero, responses respond: @escaping ResponseResponder) {
        self.state = Mutex(State(respond: respond))
        self.delay = delay
    }

    /// Answers every request with `status` and `body`.
    public convenience init(status: Int = 200, body: String) {
        self.init { _ in (status, body) }
    }

    /// A provider that never answers (a refused connection).
    public static func unreachable() -> RecordingHTTPClient {
        RecordingHTTPClient(bytes: { _ in nil })
    }

    /// From now on answers from `respond`.
    public func answer(bytes respond: @escaping Responder) {
        self.answer(responses: Self.withoutHeaders(respond))
    }

    /// From now on answers from `respond`, header fields included.
    public func answer(responses respond: @escaping ResponseResponder) {
        self.state.withLock { $0.respond = respond }
    }

    private static func withoutHeaders(_ respond: @escaping Responder) -> ResponseResponder {
        { request in respond(request).map { OutboundResponse(status: $0.status, body: $0.body) } }
    }

    public var recorded: [Request] { self.state.withLock { $0.requests } }
    public var requestCount: Int { self.state.withLock { $0.requests.count } }

    public func send(_ outbound: OutboundRequest) async throws -> OutboundResponse {
        let request = Request(method: outbound.method, url: outbound.url, headers: outbound.headers, body: outbound.body)
        let respond = self.state.withLock { state in
            state.requests.append(request)
            return state.respond
        }
        if self.delay > .zero { try await Task.sleep(for: self.delay) }
        guard let reply = respond(request) else { throw Unreachable() }
        return reply
    }
}
