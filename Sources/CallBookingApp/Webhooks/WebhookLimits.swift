import BookingStore
import RPC

/// Bounds of the webhook routes, which anyone on the internet can reach: a delivery is
/// refused from its head when it is unsigned or declares a larger body, and while its body
/// arrives once it passes this size.
enum WebhookLimits {
    /// Calendly's and Stream's deliveries are a few KiB; a Stream call with many participants
    /// stays far below this.
    static let maxBodySize = 1 << 20
    /// The most a compressed delivery may inflate to: the same as an uncompressed one, so a
    /// few KiB of gzip cannot become gigabytes in memory.
    static let maxInflatedBodySize = 1 << 20

    /// The answer to a verified delivery whose effect could not be stored. A store failure is
    /// never a 4xx, which a provider takes as final and drops: one worth retrying
    /// (serialization, deadlock, a lost or unavailable database, a timeout) is 503, any other
    /// 500, and the provider retries both. Other errors keep their status.
    static func failure(_ error: any Error) -> RPCError {
        guard let store = error as? StoreError else { return RPCError(from: error) }
        switch store.code {
        case .serializationFailure, .deadlockDetected, .connectionLost, .unavailable, .queryCanceled:
            return RPCError(.unavailable, "the delivery could not be stored now; retry", cause: store)
        default:
            return RPCError(.internal, "the delivery could not be stored", cause: store)
        }
    }
}
