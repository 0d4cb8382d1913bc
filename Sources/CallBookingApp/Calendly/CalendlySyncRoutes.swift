import BookingDomain
import Logging
import ProtoWire
import RPC

/// The on-demand Calendly sync, REST only (the contract has no RPC for it; these paths clash
/// with none of its routes), authenticated with the same Clerk session as every RPC:
///
/// - `POST /api/v1/calendly-sync`: admins; syncs every linked expert and answers 200 with
///   `{"synced": [...], "failed": [...]}` (an expert's failure is reported, not an error).
/// - `POST /api/v1/experts/{expert_id}/calendly-sync`: an admin or that expert (the rule of
///   SetExpertAvailability); 200 with the same body for the one expert, or the contract's error
///   JSON: 404 unknown expert, 400 FAILED_PRECONDITION when Calendly refused or the expert is not
///   linked, 503 UNAVAILABLE when Calendly did not answer or is rate-limiting (then with its wait as
///   `Retry-After`); the stored availability is unchanged.
struct CalendlySyncRoutes: Sendable {
    let sync: CalendlyAvailabilitySync
    let authenticator: any CallerAuthenticator
    let credentials: SessionCredentials
    let logger: Logger

    var routes: [RESTRoute] {
        let routes = self
        let gate = self.credentials.refuseWithout
        return [
            RESTRoute(
                "POST", "/api/v1/calendly-sync", .endpoint { request in await routes.syncAll(request) },
                gate: gate),
            RESTRoute(
                "POST", "/api/v1/experts/{expert_id}/calendly-sync",
                .endpoint { request in await routes.syncExpert(request) }, gate: gate),
        ]
    }

    func syncAll(_ request: RESTRequest) async -> RESTResponse {
        await self.answer(request, "POST /api/v1/calendly-sync") { caller in
            try AccessPolicy.requireAdmin(caller, "syncing Calendly availability")
            return try await self.sync.syncAll()
        }
    }

    func syncExpert(_ request: RESTRequest) async -> RESTResponse {
        await self.answer(request, "POST /api/v1/experts/{expert_id}/calendly-sync") { caller in
            let text = request.pathVariables["expert_id"] ?? ""
            let id = try ExpertID(validating: text, field: "expert_id")
            try AccessPolicy.mayEditAvailability(of: id, as: caller)
            switch try await self.sync.sync(id) {
            case nil: throw BookingError.notFound("no expert \(text)")
            case .failure(let failure)?: throw failure.rpcError
            case .success(let synced)?: return CalendlySyncReport(synced: [synced])
            }
        }
    }

    private func answer(
        _ request: RESTRequest, _ name: String, _ body: (Principal) async throws -> CalendlySyncReport
    ) async -> RESTResponse {
        let context = request.rpcContext(named: name, logger: self.logger)
        do {
            let caller = try await self.authenticator.authenticate(context)
            let report = try await body(caller)
            return .json(200, String(decoding: report.json.serializedUTF8Bytes(), as: UTF8.self))
        } catch {
            let status = RPCError(from: error)
            if status.code == .internal || status.code == .unknown {
                self.logger.error("on-demand Calendly sync failed", metadata: ["error": "\(status.cause.map { "\($0)" } ?? status.message)"])
            }
            return .error(status)
        }
    }
}
