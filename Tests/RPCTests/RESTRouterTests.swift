import Testing

@testable import RPC

@Suite struct RESTRouterTests {
    private static let getCall = MethodDescriptor(service: "s.S", method: "GetCall")
    private static let upcoming = MethodDescriptor(service: "s.S", method: "ListUpcomingCalls")
    private static let complete = MethodDescriptor(service: "s.S", method: "CompleteCall")

    /// The `{id}` route is listed first on purpose: order must not matter.
    private let router = RESTRouter([
        RESTRoute("GET", "/api/v1/calls/{id}", rpc: getCall),
        RESTRoute("GET", "/api/v1/calls/upcoming", rpc: upcoming),
        RESTRoute("POST", "/api/v1/calls/{id}/complete", rpc: complete),
    ])

    private func method(_ match: RESTRouter.Match) -> String? {
        if case .found(let route, _) = match, case .rpc(let descriptor, _) = route.target { return descriptor.method }
        return nil
    }

    @Test func upcomingIsNotTakenForAnID() {
        #expect(self.method(self.router.match(method: "GET", path: "/api/v1/calls/upcoming")) == "ListUpcomingCalls")
        #expect(self.method(self.router.match(method: "GET", path: "/api/v1/calls/abc")) == "GetCall")
    }

    @Test func pathVariablesArePercentDecoded() {
        guard case .found(_, let variables) = self.router.match(method: "GET", path: "/api/v1/calls/a%20b") else {
            Issue.record("no match")
            return
        }
        #expect(variables.map(\.name) == ["id"])
        #expect(variables.map(\.value) == ["a b"])
    }

    @Test func aKnownPathWithAnotherMethodIsMethodNotAllowed() {
        guard case .methodNotAllowed(let allowed) = self.router.match(method: "DELETE", path: "/api/v1/calls/x/complete")
        else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["POST"])
    }

    @Test func postToUpcomingIsMethodNotAllowedNotAnID() {
        guard case .methodNotAllowed(let allowed) = self.router.match(method: "POST", path: "/api/v1/calls/upcoming")
        else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["GET"])
    }

    @Test func unknownPathsAreNotFound() {
        guard case .notFound = self.router.match(method: "GET", path: "/api/v1/nope") else {
            Issue.record("expected 404")
            return
        }
        guard case .notFound = self.router.match(method: "GET", path: "/api/v1/calls/a/b/c") else {
            Issue.record("expected 404")
            return
        }
    }

    @Test func anEmptyVariableDoesNotMatch() {
        guard case .notFound = self.router.match(method: "GET", path: "/api/v1/calls/%") else {
            Issue.record("a malformed escape must not match")
            return
        }
    }
}
