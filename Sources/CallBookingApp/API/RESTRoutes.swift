import RPC

/// The REST routes of CONTRACT.md, mirroring the google.api.http options of
/// call_booking.proto (a test compares the two). Each maps onto the same handler gRPC uses.
enum RESTRoutes {
    static let rpcRoutes: [RESTRoute] = [
        RESTRoute("POST", "/api/v1/calls", rpc: CallServiceMethods.createCall.descriptor),
        RESTRoute("GET", "/api/v1/calls/{id}", rpc: CallServiceMethods.getCall.descriptor),
        RESTRoute("GET", "/api/v1/calls/{id}/events", rpc: CallServiceMethods.watchCall.descriptor),
        RESTRoute("POST", "/api/v1/calls/{call_id}/token", rpc: CallServiceMethods.createCallToken.descriptor),
        RESTRoute("GET", "/api/v1/calls/upcoming", rpc: CallServiceMethods.listUpcomingCalls.descriptor),
        RESTRoute("GET", "/api/v1/calls", rpc: CallServiceMethods.listCalls.descriptor),
        RESTRoute("GET", "/api/v1/calls/{call_id}/timeline", rpc: CallServiceMethods.getCallTimeline.descriptor),
        RESTRoute("POST", "/api/v1/calls/{id}/complete", rpc: CallServiceMethods.completeCall.descriptor),
        RESTRoute("POST", "/api/v1/calls/{id}/cancel", rpc: CallServiceMethods.cancelCall.descriptor),
        RESTRoute("GET", "/api/v1/calls/{call_id}/recordings", rpc: CallServiceMethods.listCallRecordings.descriptor),
        RESTRoute("POST", "/api/v1/calls/{id}/reassign", rpc: CallServiceMethods.reassignCall.descriptor),
        RESTRoute("GET", "/api/v1/analytics/calls", rpc: CallServiceMethods.getCallAnalytics.descriptor),
        RESTRoute("POST", "/api/v1/booking-links", rpc: CallServiceMethods.createBookingLink.descriptor),
        RESTRoute("GET", "/api/v1/experts", rpc: ExpertServiceMethods.listExperts.descriptor),
        RESTRoute("GET", "/api/v1/experts/{id}", rpc: ExpertServiceMethods.getExpert.descriptor),
        RESTRoute("POST", "/api/v1/experts", rpc: ExpertServiceMethods.createExpert.descriptor),
        RESTRoute(
            "PUT", "/api/v1/experts/{expert_id}/availability", rpc: ExpertServiceMethods.setExpertAvailability.descriptor),
        RESTRoute(
            "PATCH", "/api/v1/experts/{expert.id}", rpc: ExpertServiceMethods.updateExpert.descriptor,
            body: .field("expert", updateMask: "update_mask")),
        RESTRoute("GET", "/api/v1/experts/{expert_id}/load", rpc: ExpertServiceMethods.getExpertLoad.descriptor),
        RESTRoute("POST", "/api/v1/holds", rpc: ExpertServiceMethods.holdSlot.descriptor),
        RESTRoute("DELETE", "/api/v1/holds/{id}", rpc: ExpertServiceMethods.releaseHold.descriptor),
        RESTRoute("GET", "/api/v1/ops/jobs", rpc: OperationsServiceMethods.listJobs.descriptor),
        RESTRoute("POST", "/api/v1/ops/jobs/{id}/retry", rpc: OperationsServiceMethods.retryJob.descriptor),
        RESTRoute(
            "GET", "/api/v1/ops/webhook-deliveries", rpc: OperationsServiceMethods.listWebhookDeliveries.descriptor),
    ]

    /// `GET /openapi.json`: public, as the .proto it describes is. It takes no body, so a
    /// request that declares or sends one is refused (413) before anything is buffered.
    static let openAPIDocument = RESTRoute(
        "GET", "/openapi.json", .endpoint { _ in OpenAPIDocument.response }, maxBodySize: 0)
}
