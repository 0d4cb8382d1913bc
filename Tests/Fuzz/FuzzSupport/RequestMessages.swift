public import ProtoWire
import BookingAPI

/// The request message of every RPC the server routes (CallService, ExpertService, Health,
/// reflection): what a client can make it decode, from protobuf (gRPC) or JSON (REST; not
/// reflection, which is gRPC only). A fuzz input's first byte
/// picks one, so new types go at the end: inserting one would change what the committed
/// corpus means.
public enum RequestMessages {
    public static let all: [any ProtoMessage.Type] = [
        CreateCallRequest.self, GetCallRequest.self, CreateCallTokenRequest.self, ListUpcomingCallsRequest.self,
        CompleteCallRequest.self, CancelCallRequest.self, ListCallRecordingsRequest.self, ReassignCallRequest.self,
        GetCallAnalyticsRequest.self,
        ListExpertsRequest.self, GetExpertRequest.self, CreateExpertRequest.self, SetExpertAvailabilityRequest.self,
        HoldSlotRequest.self, ReleaseHoldRequest.self,
        HealthCheckRequest.self, HealthListRequest.self,
        ServerReflectionRequest.self,
        ListCallsRequest.self, GetCallTimelineRequest.self,
        ListJobsRequest.self, RetryJobRequest.self, ListWebhookDeliveriesRequest.self,
        UpdateExpertRequest.self, GetExpertLoadRequest.self,
    ]
}
