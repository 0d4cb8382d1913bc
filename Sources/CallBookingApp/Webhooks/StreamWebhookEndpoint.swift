import BookingDomain
import BookingStore
import Crypto
import Foundation
import Logging
import NIOCore
import Observability
import ProtoWire
import RPC
import StreamVideo
import Transport

/// `POST /webhooks/stream` (CONTRACT "Webhooks"; providers.md §4).
///
/// A gzip body (the app's webhook compression) is inflated first, to at most
/// `WebhookLimits.maxInflatedBodySize` (`StreamWebhookBody`: 413 past it, 400 for broken gzip,
/// 415 for another encoding), since Stream signs the uncompressed JSON.
/// `X-Api-Key` and `X-Signature` (HMAC-SHA256 of that JSON under `STREAM_SECRET_KEY`) are
/// checked before anything parses it: wrong or missing is 401 and changes nothing. A
/// verified body that is not a Stream event is 400; one whose `created_at` is further from now
/// than `STREAM_WEBHOOK_TOLERANCE_SECONDS` is 401 like a bad signature (a replay from beyond
/// the delivery keys we keep; Stream's own retries end within 15 s). Otherwise the event is applied exactly
/// once by `StreamEventEffect` inside the delivery ledger's transaction, and answered 200 only
/// after the commit; a store failure is 5xx, so Stream retries. A delivery is known by the
/// SHA-256 of its signed body and by `X-Webhook-Id` (which Stream keeps across retries): a
/// duplicate by either is not applied again, so a captured body replayed under a fresh id
/// (the header is outside the signature) changes nothing. Whatever the outcome, the delivery
/// leaves one row in the delivery log (`WebhookDeliveryReport`), its body as it arrived (compressed
/// or not) known only by hash and size.
struct StreamWebhookEndpoint: Sendable {
    static let path = "/webhooks/stream"

    let verifier: StreamWebhookVerifier
    let ledger: WebhookDeliveryLedger
    let deliveries: WebhookDeliveryLog
    /// `STREAM_CALL_TYPE`: events of other call types are not ours.
    let callType: String
    /// `STREAM_WEBHOOK_TOLERANCE_SECONDS`, in seconds.
    let tolerance: TimeInterval
    let logger: Logger
    let now: @Sendable () -> Date

    var route: RESTRoute {
        let endpoint = self
        return RESTRoute(
            "POST", Self.path, .endpoint { request in await endpoint.handle(request) },
            maxBodySize: WebhookLimits.maxBodySize, gate: Self.refuseUnsigned)
    }

    /// A delivery without a signature header is refused from its head, before its body is read.
    static func refuseUnsigned(_ head: RequestHead) -> RESTResponse? {
        guard head.headers[StreamWebhookVerifier.signatureHeader] == nil else { return nil }
        OperationsMetrics.webhookProcessed(provider: "stream", outcome: .rejected)
        return .error(RPCError(.unauthenticated, "Stream webhook refused: X-Signature is missing"))
    }

    func handle(_ request: RESTRequest) async -> RESTResponse {
        var report = WebhookDeliveryReport()
        let response = await self.process(request, report: &report)
        await report.report(
            provider: .stream, body: Array(request.body.readableBytesView), to: self.deliveries, logger: self.logger)
        return response
    }

    private func process(_ request: RESTRequest, report: inout WebhookDeliveryReport) async -> RESTResponse {
        let headers = request.head.headers
        let body: [UInt8]
        do {
            body = try StreamWebhookBody.signedJSON(of: request.body, contentEncoding: headers["content-encoding"])
        } catch {
            self.logger.warning("Stream webhook refused: unreadable body", metadata: ["reason": "\(error.detail)"])
            report.outcome = .invalid
            report.reason = "refused: \(error.detail)"
            return .error(RPCError(error.code, "Stream webhook refused: \(error.detail)"), status: error.status)
        }
        do {
            try self.verifier.verify(
                signature: headers[StreamWebhookVerifier.signatureHeader], apiKey: headers[StreamWebhookVerifier.apiKeyHeader],
                body: body)
        } catch {
            self.logger.warning("Stream webhook refused", metadata: ["reason": "\(error.reason)"])
            report.outcome = .rejected
            report.reason = "refused: \(error.detail)"
            return .error(RPCError(.unauthenticated, "Stream webhook refused: \(error.detail)"))
        }
        let event: StreamWebhookEvent
        do {
            event = try StreamWebhookEvent.parse(body)
        } catch {
            self.logger.warning("Stream webhook refused: malformed body", metadata: ["error": "\(error.detail)"])
            report.outcome = .invalid
            report.reason = "not a Stream event: \(error.detail)"
            return .error(RPCError(.invalidArgument, "not a Stream event: \(error.detail)"))
        }
        report.event = event.type
        let age = self.now().timeIntervalSince(event.createdAt)
        guard abs(age) <= self.tolerance else {
            self.logger.warning("Stream webhook refused: created_at out of tolerance", metadata: ["age_seconds": "\(Int(age))"])
            report.outcome = .rejected
            report.reason = "created_at is \(Int(age)) s from now, beyond STREAM_WEBHOOK_TOLERANCE_SECONDS"
            return .error(RPCError(
                .unauthenticated,
                "Stream webhook refused: created_at is \(Int(age)) s from now, beyond STREAM_WEBHOOK_TOLERANCE_SECONDS"))
        }
        let key = "sha256:" + Hex.encode(SHA256.hash(body))
        let webhookID = headers[StreamWebhookVerifier.webhookIDHeader].flatMap { $0.isEmpty ? nil : "id:" + $0 }
        var metadata: Logger.Metadata = ["event": "\(event.type)", "delivery": "\(key)", "call_cid": "\(event.callCID ?? "")"]
        guard let callID = event.callID(ofType: self.callType).flatMap({ try? CallID(validating: $0) }) else {
            // Not one of our rooms (another call type, or an id we never minted): acknowledged.
            self.logger.info("Stream webhook ignored: not a booking's call", metadata: metadata)
            report.outcome = .ignored
            report.reason = "not a booking's call"
            return Self.accepted("ignored")
        }
        let result: WebhookDeliveryLedger.Result<Void>
        do {
            result = try await self.ledger.apply(provider: .stream, keys: [key] + (webhookID.map { [$0] } ?? []), event: event.type) {
                transaction in
                try StreamEventEffect.apply(event, to: callID, in: transaction)
            }
        } catch {
            metadata["error"] = "\(error)"
            self.logger.error("Stream webhook not applied", metadata: metadata)
            let status = WebhookLimits.failure(error)
            report.reason = status.message
            return .error(status)
        }
        switch result {
        case .duplicate:
            self.logger.info("Stream webhook duplicate: already applied", metadata: metadata)
            report.outcome = .duplicate
            report.reason = "already applied"
            return Self.accepted("duplicate")
        case .applied:
            report.outcome = .applied
            report.callID = callID.uuid
            if case .recordingFailed = event.kind {
                self.logger.error("Stream recording failed", metadata: metadata)
            } else {
                self.logger.info("Stream webhook applied", metadata: metadata)
            }
            return Self.accepted("applied")
        }
    }

    static func accepted(_ result: String) -> RESTResponse {
        RESTResponse(
            status: 200, headers: ["content-type": "application/json"],
            body: ByteBuffer(bytes: JSONValue.object([JSONMember(key: "result", value: .string(result))]).serializedUTF8Bytes()))
    }
}
