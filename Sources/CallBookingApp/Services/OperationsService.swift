import BookingAPI
import BookingDomain
import BookingStore
import Foundation
import ProtoWire
import RPC

/// OperationsService, admins only: the jobs outbox (`JobBoard`) and the webhook delivery log
/// (`WebhookDeliveryLog`), so an operator can see and fix what went wrong without SQL.
struct OperationsService: Sendable {
    let jobs: JobBoard
    let deliveries: WebhookDeliveryLog
    let authenticator: any CallerAuthenticator

    func register(in router: inout RPCRouter) {
        let service = self
        let auth = self.authenticator
        router.register(OperationsServiceMethods.listJobs) { request, context in
            try await service.listJobs(request, by: auth.authenticate(context))
        }
        router.register(OperationsServiceMethods.retryJob) { request, context in
            try await service.retryJob(request, by: auth.authenticate(context))
        }
        router.register(OperationsServiceMethods.listWebhookDeliveries) { request, context in
            try await service.listWebhookDeliveries(request, by: auth.authenticate(context))
        }
    }

    static let jobsListing = "jobs"
    static let deliveriesListing = "deliveries"
    /// Kinds are short dotted names (`reminder.trigger`); a longer filter cannot match.
    static let maximumKindLength = 100

    func listJobs(_ request: ListJobsRequest, by caller: Principal) async throws -> ListJobsResponse {
        try AccessPolicy.requireAdmin(caller, "listing jobs")
        let state = try Self.state(request.state)
        guard request.kind.utf8.count <= Self.maximumKindLength else {
            throw BookingError.invalidArgument("kind may have at most \(Self.maximumKindLength) bytes")
        }
        let callID = request.callID.isEmpty ? nil : try CallID(validating: request.callID, field: "call_id").uuid
        let size = try PageSize.normalized(Int(request.pageSize))
        let after = try OperationsPageToken.lastID(of: request.pageToken, listing: Self.jobsListing)
        let filter = JobBoard.Filter(state: state, kind: request.kind.isEmpty ? nil : request.kind, callID: callID)
        let page = try await self.jobs.list(filter, before: after, limit: size + 1)
        var response = ListJobsResponse()
        response.jobs = page.prefix(size).map(BookingAPI.Job.init)
        if page.count > size, let last = page.prefix(size).last {
            response.nextPageToken = OperationsPageToken(listing: Self.jobsListing, lastID: last.id).token
        }
        return response
    }

    func retryJob(_ request: RetryJobRequest, by caller: Principal) async throws -> BookingAPI.Job {
        try AccessPolicy.requireAdmin(caller, "retrying a job")
        guard request.id.utf8.count <= 19, let id = Int64(request.id), id > 0 else {
            throw BookingError.invalidArgument("id must be a job id (a positive decimal number)")
        }
        guard request.reason.count <= CallLifecycle.maximumReasonLength else {
            throw BookingError.invalidArgument("reason may have at most \(CallLifecycle.maximumReasonLength) characters")
        }
        switch try await self.jobs.retry(id, actor: caller.userID, reason: request.reason) {
        case .retried(let job): return BookingAPI.Job(job)
        case .unknown: throw BookingError.notFound("job \(id) not found")
        case .notRetryable(let state):
            throw BookingError.failedPrecondition("job \(id) is \(state.rawValue): only a dead or failed job can be retried")
        }
    }

    func listWebhookDeliveries(_ request: ListWebhookDeliveriesRequest, by caller: Principal) async throws
        -> ListWebhookDeliveriesResponse
    {
        try AccessPolicy.requireAdmin(caller, "listing webhook deliveries")
        var provider: WebhookProvider?
        if !request.provider.isEmpty {
            guard let known = WebhookProvider(rawValue: request.provider) else {
                throw BookingError.invalidArgument("provider must be calendly or stream")
            }
            provider = known
        }
        let outcome = try Self.outcome(request.outcome)
        let size = try PageSize.normalized(Int(request.pageSize))
        let after = try OperationsPageToken.lastID(of: request.pageToken, listing: Self.deliveriesListing)
        let page = try await self.deliveries.list(provider: provider, outcome: outcome, before: after, limit: size + 1)
        var response = ListWebhookDeliveriesResponse()
        response.deliveries = page.prefix(size).map(WebhookDelivery.init)
        if page.count > size, let last = page.prefix(size).last {
            response.nextPageToken = OperationsPageToken(listing: Self.deliveriesListing, lastID: last.id).token
        }
        return response
    }

    /// Nil for UNSPECIFIED (no filter); a number that is no state is INVALID_ARGUMENT.
    private static func state(_ state: JobState) throws(BookingError) -> JobBoard.State? {
        guard state != .unspecified else { return nil }
        guard let known = JobBoard.State.allCases.first(where: { $0.message == state }) else {
            throw .invalidArgument("state \(state.rawValue) is not a JobState")
        }
        return known
    }

    /// Nil for UNSPECIFIED (no filter); a number that is no outcome is INVALID_ARGUMENT.
    private static func outcome(_ outcome: BookingAPI.WebhookOutcome) throws(BookingError) -> WebhookDeliveryLog.Outcome? {
        guard outcome != .unspecified else { return nil }
        guard let known = WebhookDeliveryLog.Outcome.allCases.first(where: { $0.message == outcome }) else {
            throw .invalidArgument("outcome \(outcome.rawValue) is not a WebhookOutcome")
        }
        return known
    }
}
