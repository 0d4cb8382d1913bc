public import ProtoWire

/// The messages of loop.callbooking.v1, grpc.health.v1 and grpc.reflection.v1, looked up by full name.
public enum MessageRegistry {
    /// Every message type (plus `google.protobuf.Timestamp`), keyed by `protoName`, for tools
    /// that get a message name at run time (ProtoRoundTrip, reflection, tests).
    public static let messageTypes: [String: any ProtoMessage.Type] = {
        let types: [any ProtoMessage.Type] = [
            // Calls
            Call.self, Customer.self, QuestionAnswer.self, VideoRoom.self, Assignment.self,
            CandidateScore.self, CallToken.self, Recording.self,
            CreateCallRequest.self, GetCallRequest.self, CreateCallTokenRequest.self,
            ListUpcomingCallsRequest.self, ListUpcomingCallsResponse.self, CompleteCallRequest.self,
            CancelCallRequest.self, ListCallRecordingsRequest.self, ListCallRecordingsResponse.self,
            ReassignCallRequest.self, CreateBookingLinkRequest.self, BookingLink.self,
            ListCallsRequest.self, ListCallsResponse.self, GetCallTimelineRequest.self, CallTimeline.self,
            CallEvent.self, Attendance.self, CallQuality.self, NotificationDelivery.self,
            // Analytics
            GetCallAnalyticsRequest.self, CallAnalytics.self, ExpertCallStats.self,
            // Experts
            Expert.self, WeeklyHours.self, DateOverride.self, LocalTimeRange.self, TimeSlot.self,
            SchedulingRules.self, ListExpertsRequest.self, ListExpertsResponse.self, GetExpertRequest.self,
            CreateExpertRequest.self, SetExpertAvailabilityRequest.self, UpdateExpertRequest.self,
            GetExpertLoadRequest.self, ExpertLoad.self, LedgerWeek.self, CallCount.self,
            // Holds
            HoldSlotRequest.self, SlotHold.self, ReleaseHoldRequest.self,
            // Operations
            Job.self, JobEvent.self, ListJobsRequest.self, ListJobsResponse.self, RetryJobRequest.self,
            WebhookDelivery.self, ListWebhookDeliveriesRequest.self, ListWebhookDeliveriesResponse.self,
            // Health
            HealthCheckRequest.self, HealthCheckResponse.self, HealthListRequest.self, HealthListResponse.self,
            // Server reflection
            ServerReflectionRequest.self, ExtensionRequest.self, ServerReflectionResponse.self,
            FileDescriptorResponse.self, ExtensionNumberResponse.self, ListServiceResponse.self, ServiceResponse.self,
            ErrorResponse.self,
            // Well-known types used by the messages above
            Timestamp.self, FieldMask.self,
        ]
        return Dictionary(types.map { ($0.protoName, $0) }, uniquingKeysWith: { first, _ in first })
    }()
}
