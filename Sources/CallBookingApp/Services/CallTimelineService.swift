import BookingAPI
import BookingDomain
import BookingStore
import RPC

/// CallService.GetCallTimeline: a call's event log, attendance, video quality and
/// notification deliveries, for whoever may read the call (GetCall's rule), with the
/// assignment as GetCall shows it to them.
struct CallTimelineService: Sendable {
    /// Each list of a timeline holds at most this many entries, so one answer stays small
    /// however long a call's history grows (a participant who rejoins thousands of times).
    static let entriesPerList = 500

    let calls: CallService
    let records: CallTimelineRepository
    let authenticator: any CallerAuthenticator

    func register(in router: inout RPCRouter) {
        let service = self
        let auth = self.authenticator
        router.register(CallServiceMethods.getCallTimeline) { request, context in
            try await service.timeline(request, by: auth.authenticate(context))
        }
    }

    func timeline(_ request: GetCallTimelineRequest, by caller: Principal) async throws -> CallTimeline {
        try await self.calls.claims.claimOnce(for: caller)
        let (call, message) = try await self.calls.read(request.callID, by: caller, field: "call_id")
        let records = try await self.records.records(of: call.id, limit: Self.entriesPerList)
        var timeline = CallTimeline(records)
        timeline.callID = message.id
        timeline.assignment = message.assignment
        return timeline
    }
}
