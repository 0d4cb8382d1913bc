/// Bounds of the webhook routes, which anyone on the internet can reach: a delivery is
/// refused from its head when it is unsigned or declares a larger body, and while its body
/// arrives once it passes this size.
enum WebhookLimits {
    /// Calendly's and Stream's deliveries are a few KiB; a Stream call with many participants
    /// stays far below this.
    static let maxBodySize = 1 << 20
}
