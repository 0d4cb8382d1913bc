/// Identifies one webhook delivery for exactly-once processing: `(invitee URI, event name,
/// created_at)`. Calendly's retries of a delivery repeat all three, and the two halves of a
/// reschedule differ in invitee and event, so each gets its own key.
///
/// `created_at` is kept as sent, not re-formatted: a retry carries the same text, and a
/// re-formatted date could round differently across versions of this code. The parts are joined
/// by spaces, which none of them can contain (URIs, dotted names, RFC 3339).
public struct CalendlyDeliveryKey: Sendable, Hashable, CustomStringConvertible {
    public var resourceURI: String
    public var eventName: String
    public var createdAt: String

    public init(resourceURI: String, eventName: String, createdAt: String) {
        self.resourceURI = resourceURI
        self.eventName = eventName
        self.createdAt = createdAt
    }

    /// The stored form: `<invitee URI> <event name> <created_at>`.
    public var description: String { "\(self.resourceURI) \(self.eventName) \(self.createdAt)" }
}

extension CalendlyWebhook {
    /// For invitee and no-show events the invitee URI; for other events the payload's `uri`
    /// (a routing form submission's), or empty when it has none.
    public var deliveryKey: CalendlyDeliveryKey {
        let resource: String
        switch self.event {
        case .inviteeCreated(let invitee), .inviteeCanceled(let invitee): resource = invitee.uri
        case .noShowCreated(let noShow), .noShowDeleted(let noShow): resource = noShow.inviteeURI
        case .other(_, let uri): resource = uri ?? ""
        }
        return CalendlyDeliveryKey(resourceURI: resource, eventName: self.name, createdAt: self.createdAtText)
    }
}
