public import ProtoWire

/// How a job stands; FAILED is pending again after a failed attempt.
public struct JobState: ProtoEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unspecified = JobState(rawValue: 0)
    public static let pending = JobState(rawValue: 1)
    public static let running = JobState(rawValue: 2)
    public static let done = JobState(rawValue: 3)
    public static let dead = JobState(rawValue: 4)
    public static let failed = JobState(rawValue: 5)

    public static let protoName = "loop.callbooking.v1.JobState"
    public static let names: ProtoEnumNames = [
        0: "JOB_STATE_UNSPECIFIED", 1: "JOB_STATE_PENDING", 2: "JOB_STATE_RUNNING", 3: "JOB_STATE_DONE",
        4: "JOB_STATE_DEAD", 5: "JOB_STATE_FAILED",
    ]
}

/// One entry of a job's history.
public struct JobEvent: ProtoMessage {
    public var kind = ""
    public var time: Timestamp?
    public var actor = ""
    public var detail = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.JobEvent"
    public static let schema: MessageSchema<JobEvent> = [
        .string(1, "kind", \.kind),
        .message(2, "time", \.time),
        .string(3, "actor", \.actor),
        .string(4, "detail", \.detail),
    ]
}

/// A job of the outbox.
public struct Job: ProtoMessage {
    public var id = ""
    public var kind = ""
    public var callID = ""
    public var state = JobState.unspecified
    public var attempts: Int32 = 0
    public var nextRunAt: Timestamp?
    public var lastError = ""
    public var createdAt: Timestamp?
    public var updatedAt: Timestamp?
    public var history: [JobEvent] = []

    public init() {}

    public static let protoName = "loop.callbooking.v1.Job"
    public static let schema: MessageSchema<Job> = [
        .string(1, "id", \.id),
        .string(2, "kind", \.kind),
        .string(3, "call_id", \.callID),
        .enum(4, "state", \.state),
        .int32(5, "attempts", \.attempts),
        .message(6, "next_run_at", \.nextRunAt),
        .string(7, "last_error", \.lastError),
        .message(8, "created_at", \.createdAt),
        .message(9, "updated_at", \.updatedAt),
        .message(10, "history", \.history),
    ]
}

/// Filters (each optional) and the page.
public struct ListJobsRequest: ProtoMessage {
    public var state = JobState.unspecified
    public var kind = ""
    public var callID = ""
    public var pageSize: Int32 = 0
    public var pageToken = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.ListJobsRequest"
    public static let schema: MessageSchema<ListJobsRequest> = [
        .enum(1, "state", \.state),
        .string(2, "kind", \.kind),
        .string(3, "call_id", \.callID),
        .int32(4, "page_size", \.pageSize),
        .string(5, "page_token", \.pageToken),
    ]
}

/// One page of jobs, newest first.
public struct ListJobsResponse: ProtoMessage {
    public var jobs: [Job] = []
    public var nextPageToken = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.ListJobsResponse"
    public static let schema: MessageSchema<ListJobsResponse> = [
        .message(1, "jobs", \.jobs),
        .string(2, "next_page_token", \.nextPageToken),
    ]
}

/// Names the job to run again, and why.
public struct RetryJobRequest: ProtoMessage {
    public var id = ""
    public var reason = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.RetryJobRequest"
    public static let schema: MessageSchema<RetryJobRequest> = [
        .string(1, "id", \.id),
        .string(2, "reason", \.reason),
    ]
}

/// What became of a webhook delivery.
public struct WebhookOutcome: ProtoEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unspecified = WebhookOutcome(rawValue: 0)
    public static let applied = WebhookOutcome(rawValue: 1)
    public static let duplicate = WebhookOutcome(rawValue: 2)
    public static let ignored = WebhookOutcome(rawValue: 3)
    public static let rejected = WebhookOutcome(rawValue: 4)
    public static let invalid = WebhookOutcome(rawValue: 5)
    public static let failed = WebhookOutcome(rawValue: 6)

    public static let protoName = "loop.callbooking.v1.WebhookOutcome"
    public static let names: ProtoEnumNames = [
        0: "WEBHOOK_OUTCOME_UNSPECIFIED", 1: "WEBHOOK_OUTCOME_APPLIED", 2: "WEBHOOK_OUTCOME_DUPLICATE",
        3: "WEBHOOK_OUTCOME_IGNORED", 4: "WEBHOOK_OUTCOME_REJECTED", 5: "WEBHOOK_OUTCOME_INVALID",
        6: "WEBHOOK_OUTCOME_FAILED",
    ]
}

/// One webhook delivery; the body is known by its SHA-256 and size only.
public struct WebhookDelivery: ProtoMessage {
    public var id = ""
    public var provider = ""
    public var receivedAt: Timestamp?
    public var outcome = WebhookOutcome.unspecified
    public var reason = ""
    public var event = ""
    public var bodySHA256 = ""
    public var bodySize: Int64 = 0
    public var callID = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.WebhookDelivery"
    public static let schema: MessageSchema<WebhookDelivery> = [
        .string(1, "id", \.id),
        .string(2, "provider", \.provider),
        .message(3, "received_at", \.receivedAt),
        .enum(4, "outcome", \.outcome),
        .string(5, "reason", \.reason),
        .string(6, "event", \.event),
        .string(7, "body_sha256", \.bodySHA256),
        .int64(8, "body_size", \.bodySize),
        .string(9, "call_id", \.callID),
    ]
}

/// Filters (each optional) and the page.
public struct ListWebhookDeliveriesRequest: ProtoMessage {
    public var provider = ""
    public var outcome = WebhookOutcome.unspecified
    public var pageSize: Int32 = 0
    public var pageToken = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.ListWebhookDeliveriesRequest"
    public static let schema: MessageSchema<ListWebhookDeliveriesRequest> = [
        .string(1, "provider", \.provider),
        .enum(2, "outcome", \.outcome),
        .int32(3, "page_size", \.pageSize),
        .string(4, "page_token", \.pageToken),
    ]
}

/// One page of deliveries, newest first.
public struct ListWebhookDeliveriesResponse: ProtoMessage {
    public var deliveries: [WebhookDelivery] = []
    public var nextPageToken = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.ListWebhookDeliveriesResponse"
    public static let schema: MessageSchema<ListWebhookDeliveriesResponse> = [
        .message(1, "deliveries", \.deliveries),
        .string(2, "next_page_token", \.nextPageToken),
    ]
}
