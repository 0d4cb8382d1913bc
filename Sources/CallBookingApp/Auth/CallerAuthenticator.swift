import RPC

/// Turns a request's credentials into a `Principal`, or fails with UNAUTHENTICATED. The
/// services ask it first thing; health, metrics and webhooks never do.
protocol CallerAuthenticator: Sendable {
    func authenticate(_ context: RPCContext) async throws -> Principal
}
