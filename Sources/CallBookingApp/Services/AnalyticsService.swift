import BookingAPI
import BookingDomain
import BookingStore
import ProtoWire
import RPC

/// CallService.GetCallAnalytics: outcomes of the calls scheduled in `[from, to)`, computed by
/// PostgreSQL in one statement, for the experts `AccessPolicy.analyticsScope` allows.
struct AnalyticsService: Sendable {
    let analytics: CallAnalyticsRepository
    let authenticator: any CallerAuthenticator

    func register(in router: inout RPCRouter) {
        let service = self
        let auth = self.authenticator
        router.register(CallServiceMethods.getCallAnalytics) { request, context in
            try await service.report(request, by: auth.authenticate(context))
        }
    }

    /// `from` and `to` are optional (unbounded on that side); when both are set, `from` must
    /// come before `to`.
    func report(_ request: GetCallAnalyticsRequest, by caller: Principal) async throws -> CallAnalytics {
        let requested = request.expertID.isEmpty ? nil : try ExpertID(validating: request.expertID, field: "expert_id")
        let expertID = try AccessPolicy.analyticsScope(expertID: requested, for: caller)
        let from = try request.from.map { try Timestamp.required($0, field: "from") }
        let to = try request.to.map { try Timestamp.required($0, field: "to") }
        if let from, let to, from >= to {
            throw BookingError.invalidArgument("from must be before to")
        }
        return CallAnalytics(try await self.analytics.report(expertID: expertID, from: from, to: to))
    }
}
