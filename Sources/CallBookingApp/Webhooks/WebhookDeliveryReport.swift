import BookingStore
import Crypto
import Foundation
import Logging
import Observability

/// What became of one webhook delivery, filled in as the endpoint gets along, then reported
/// once: as `webhook_deliveries_total` and as a row of the delivery log operators list
/// (`ListWebhookDeliveries`), with the body's SHA-256 and size but never the body.
struct WebhookDeliveryReport: Sendable {
    var outcome = OperationsMetrics.WebhookOutcome.failed
    var reason = ""
    var event = ""
    var callID: UUID?

    /// Counts and logs the delivery of `body`. A log row that cannot be written is logged and
    /// the provider's answer stands: it says what happened to the delivery, not to its record.
    func report(provider: WebhookProvider, body: [UInt8], to log: WebhookDeliveryLog, logger: Logger) async {
        OperationsMetrics.webhookProcessed(provider: provider.rawValue, outcome: self.outcome)
        let delivery = WebhookDeliveryLog.Delivery(
            provider: provider, outcome: WebhookDeliveryLog.Outcome(rawValue: self.outcome.rawValue) ?? .failed,
            reason: self.reason, event: self.event, bodySHA256: Hex.encode(SHA256.hash(body)), bodySize: body.count,
            callID: self.callID)
        do {
            try await log.record(delivery)
        } catch {
            logger.warning(
                "webhook delivery not logged", metadata: ["provider": "\(provider.rawValue)", "error": "\(error)"])
        }
    }
}
