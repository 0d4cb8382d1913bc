public import ProtoWire

/// Finds experts, and their bookable slots in [availableFrom, availableTo) when given.
public struct ListExpertsRequest: ProtoMessage {
    public var specialty = ""
    public var availableFrom: Timestamp?
    public var availableTo: Timestamp?
    /// IANA timezone of the client: available slots' local times are written in it (empty: in
    /// each expert's own). Slots are absolute times regardless.
    public var timezone = ""
    /// Length of each available slot; 0 means 30.
    public var slotMinutes: Int32 = 0
    /// 0: the server's default page size.
    public var pageSize: Int32 = 0
    public var pageToken = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.ListExpertsRequest"
    public static let schema: MessageSchema<ListExpertsRequest> = [
        .string(1, "specialty", \.specialty),
        .message(2, "available_from", \.availableFrom),
        .message(3, "available_to", \.availableTo),
        .string(4, "timezone", \.timezone),
        .int32(5, "slot_minutes", \.slotMinutes),
        .int32(6, "page_size", \.pageSize),
        .string(7, "page_token", \.pageToken),
    ]
}

/// One page of experts.
public struct ListExpertsResponse: ProtoMessage {
    public var experts: [Expert] = []
    /// Empty on the last page.
    public var nextPageToken = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.ListExpertsResponse"
    public static let schema: MessageSchema<ListExpertsResponse> = [
        .message(1, "experts", \.experts),
        .string(2, "next_page_token", \.nextPageToken),
    ]
}

/// Names the expert to read.
public struct GetExpertRequest: ProtoMessage {
    public var id = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.GetExpertRequest"
    public static let schema: MessageSchema<GetExpertRequest> = [
        .string(1, "id", \.id),
    ]
}

/// The expert to create; the server assigns the id.
public struct CreateExpertRequest: ProtoMessage {
    public var expert: Expert?

    public init() {}

    public static let protoName = "loop.callbooking.v1.CreateExpertRequest"
    public static let schema: MessageSchema<CreateExpertRequest> = [
        .message(1, "expert", \.expert),
    ]
}

/// Replaces an expert's availability; `scheduling` replaces the rules only when present.
public struct SetExpertAvailabilityRequest: ProtoMessage {
    public var expertID = ""
    public var weeklyHours: [WeeklyHours] = []
    public var dateOverrides: [DateOverride] = []
    public var timeOff: [TimeSlot] = []
    public var scheduling: SchedulingRules?

    public init() {}

    public static let protoName = "loop.callbooking.v1.SetExpertAvailabilityRequest"
    public static let schema: MessageSchema<SetExpertAvailabilityRequest> = [
        .string(1, "expert_id", \.expertID),
        .message(2, "weekly_hours", \.weeklyHours),
        .message(3, "date_overrides", \.dateOverrides),
        .message(4, "time_off", \.timeOff),
        .message(5, "scheduling", \.scheduling),
    ]
}

/// Changes the fields of `expert` that `updateMask` names; `expert.id` says which expert.
public struct UpdateExpertRequest: ProtoMessage {
    public var expert: Expert?
    public var updateMask: FieldMask?

    public init() {}

    public static let protoName = "loop.callbooking.v1.UpdateExpertRequest"
    public static let schema: MessageSchema<UpdateExpertRequest> = [
        .message(1, "expert", \.expert),
        .message(2, "update_mask", \.updateMask),
    ]
}
