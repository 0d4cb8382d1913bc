import BookingAPI
import RPC

/// The RPCs of call_booking.proto with their message types and `idempotency_level`. gRPC paths
/// and the REST table both refer to these, so a method is named in one place.
enum CallServiceMethods {
    static let service = "loop.callbooking.v1.CallService"
    static let createCall = UnaryMethod<CreateCallRequest, Call>(service: service, method: "CreateCall")
    static let getCall = UnaryMethod<GetCallRequest, Call>(
        service: service, method: "GetCall", idempotency: .noSideEffects)
    static let watchCall = ServerStreamingMethod<GetCallRequest, Call>(
        service: service, method: "WatchCall", idempotency: .noSideEffects)
    static let createCallToken = UnaryMethod<CreateCallTokenRequest, CallToken>(service: service, method: "CreateCallToken")
    static let listUpcomingCalls = UnaryMethod<ListUpcomingCallsRequest, ListUpcomingCallsResponse>(
        service: service, method: "ListUpcomingCalls", idempotency: .noSideEffects)
    static let listCalls = UnaryMethod<ListCallsRequest, ListCallsResponse>(
        service: service, method: "ListCalls", idempotency: .noSideEffects)
    static let getCallTimeline = UnaryMethod<GetCallTimelineRequest, CallTimeline>(
        service: service, method: "GetCallTimeline", idempotency: .noSideEffects)
    static let completeCall = UnaryMethod<CompleteCallRequest, Call>(service: service, method: "CompleteCall")
    static let cancelCall = UnaryMethod<CancelCallRequest, Call>(service: service, method: "CancelCall")
    static let listCallRecordings = UnaryMethod<ListCallRecordingsRequest, ListCallRecordingsResponse>(
        service: service, method: "ListCallRecordings", idempotency: .noSideEffects)
    static let reassignCall = UnaryMethod<ReassignCallRequest, Call>(service: service, method: "ReassignCall")
    static let getCallAnalytics = UnaryMethod<GetCallAnalyticsRequest, CallAnalytics>(
        service: service, method: "GetCallAnalytics", idempotency: .noSideEffects)
    static let createBookingLink = UnaryMethod<CreateBookingLinkRequest, BookingLink>(
        service: service, method: "CreateBookingLink")
}

enum ExpertServiceMethods {
    static let service = "loop.callbooking.v1.ExpertService"
    static let listExperts = UnaryMethod<ListExpertsRequest, ListExpertsResponse>(
        service: service, method: "ListExperts", idempotency: .noSideEffects)
    static let getExpert = UnaryMethod<GetExpertRequest, Expert>(
        service: service, method: "GetExpert", idempotency: .noSideEffects)
    static let createExpert = UnaryMethod<CreateExpertRequest, Expert>(service: service, method: "CreateExpert")
    static let setExpertAvailability = UnaryMethod<SetExpertAvailabilityRequest, Expert>(
        service: service, method: "SetExpertAvailability")
    static let updateExpert = UnaryMethod<UpdateExpertRequest, Expert>(service: service, method: "UpdateExpert")
    static let getExpertLoad = UnaryMethod<GetExpertLoadRequest, ExpertLoad>(
        service: service, method: "GetExpertLoad", idempotency: .noSideEffects)
    static let holdSlot = UnaryMethod<HoldSlotRequest, SlotHold>(service: service, method: "HoldSlot")
    static let releaseHold = UnaryMethod<ReleaseHoldRequest, SlotHold>(service: service, method: "ReleaseHold")
}

enum OperationsServiceMethods {
    static let service = "loop.callbooking.v1.OperationsService"
    static let listJobs = UnaryMethod<ListJobsRequest, ListJobsResponse>(
        service: service, method: "ListJobs", idempotency: .noSideEffects)
    static let retryJob = UnaryMethod<RetryJobRequest, Job>(service: service, method: "RetryJob")
    static let listWebhookDeliveries = UnaryMethod<ListWebhookDeliveriesRequest, ListWebhookDeliveriesResponse>(
        service: service, method: "ListWebhookDeliveries", idempotency: .noSideEffects)
}

enum HealthMethods {
    static let service = "grpc.health.v1.Health"
    static let check = UnaryMethod<HealthCheckRequest, HealthCheckResponse>(service: service, method: "Check")
    static let list = UnaryMethod<HealthListRequest, HealthListResponse>(service: service, method: "List")
    static let watch = ServerStreamingMethod<HealthCheckRequest, HealthCheckResponse>(service: service, method: "Watch")
}

/// Server reflection, both versions: the same messages on two services (grpc-go serves both;
/// grpcurl and grpcio-reflection speak v1alpha).
enum ReflectionMethods {
    static let v1 = BidirectionalStreamingMethod<ServerReflectionRequest, ServerReflectionResponse>(
        service: "grpc.reflection.v1.ServerReflection", method: "ServerReflectionInfo")
    static let v1alpha = BidirectionalStreamingMethod<ServerReflectionRequest, ServerReflectionResponse>(
        service: "grpc.reflection.v1alpha.ServerReflection", method: "ServerReflectionInfo")
}
