public import ProtoWire

/// Whose booking link, and which Calendly page it opens.
public struct CreateBookingLinkRequest: ProtoMessage {
    /// Empty: the caller.
    public var userID = ""
    /// Empty: the Calendly account's own scheduling page.
    public var schedulingURL = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.CreateBookingLinkRequest"
    public static let schema: MessageSchema<CreateBookingLinkRequest> = [
        .string(1, "user_id", \.userID),
        .string(2, "scheduling_url", \.schedulingURL),
    ]
}

/// A Calendly link whose bookings become `userID`'s calls until `expiresAt`.
public struct BookingLink: ProtoMessage {
    public var url = ""
    public var utmContent = ""
    public var expiresAt: Timestamp?
    public var userID = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.BookingLink"
    public static let schema: MessageSchema<BookingLink> = [
        .string(1, "url", \.url),
        .string(2, "utm_content", \.utmContent),
        .message(3, "expires_at", \.expiresAt),
        .string(4, "user_id", \.userID),
    ]
}
