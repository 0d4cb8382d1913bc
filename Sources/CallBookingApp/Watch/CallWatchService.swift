import BookingAPI
import BookingDomain
import RPC

/// CallService.WatchCall: the call as GetCall answers it, then again after every change
/// committed by any replica (`CallWatchHub`), until it is final or the client leaves. Over REST
/// the same handler serves `GET /api/v1/calls/{id}/events` as server-sent events.
struct CallWatchService: Sendable {
    let calls: CallService
    let hub: CallWatchHub
    let authenticator: any CallerAuthenticator
    /// After a change, how long to wait for the rest of its burst before reading the call once.
    var coalescing: Duration = .milliseconds(50)

    func register(in router: inout RPCRouter) {
        let service = self
        let auth = self.authenticator
        router.register(CallServiceMethods.watchCall) { request, context, stream in
            try await service.watch(request, by: auth.authenticate(context)) { try await stream.send($0) }
        }
    }

    /// Authorized like GetCall, on every read: a caller who may no longer see the call (it was
    /// reassigned away from an expert) gets PERMISSION_DENIED rather than its later changes.
    /// A read equal to the last one sent is not sent again. Returns once the call is final
    /// (COMPLETED, CANCELLED: a NO_SHOW can still be unmarked), at shutdown, or when the task
    /// is cancelled (deadline, client gone).
    func watch(
        _ request: GetCallRequest, by caller: Principal, send: (BookingAPI.Call) async throws -> Void
    ) async throws {
        let callID = try CallID(validating: request.id, field: "id")
        try await self.calls.claims.claimOnce(for: caller)
        try await self.hub.withChanges(of: callID, by: caller.userID) { changes in
            var lastSent: BookingAPI.Call?
            var iterator = changes.makeAsyncIterator()
            while true {
                let (call, message) = try await self.calls.read(request.id, by: caller)
                if message != lastSent {
                    try await send(message)
                    lastSent = message
                }
                if call.state.isFinal { return }
                guard await iterator.next() != nil else { return }
                try await Task.sleep(for: self.coalescing)
            }
        }
    }
}
