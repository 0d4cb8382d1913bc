import BookingDomain
import BookingStore
import Calendly
import Foundation
import Logging
import NIOCore
import Observability
import OutboundHTTP
import ProtoWire
import RPC
import Transport

/// `POST /webhooks/calendly` (CONTRACT "Webhooks"; providers.md §1).
///
/// The signature is checked over the raw body before anything parses it: missing, malformed,
/// wrong or stale is 401 and changes nothing. A verified body that is not a Calendly webhook
/// (bad JSON, a missing field) is 400 and stores nothing. Otherwise the delivery is applied
/// exactly once (`CalendlyBookings`) and answered 200 only after its transaction committed;
/// a database that cannot be reached is 503, so Calendly retries later. Calendly treats every
/// non-2xx as a failure to retry, except 410, which deletes the subscription: never sent here.
/// Whatever the outcome, the delivery leaves one row in the delivery log (`WebhookDeliveryReport`),
/// its body known only by hash and size.
struct CalendlyWebhookEndpoint: Sendable {
    static let path = "/webhooks/calendly"

    let verifier: CalendlySignatureVerifier
    let bookings: CalendlyBookings
    let deliveries: WebhookDeliveryLog
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
        guard head.headers[CalendlySignatureVerifier.headerName.lowercased()] == nil else { return nil }
        OperationsMetrics.webhookProcessed(provider: "calendly", outcome: .rejected)
        return .error(RPCError(
            .unauthenticated, "Calendly webhook signature refused: no \(CalendlySignatureVerifier.headerName) header"))
    }

    func handle(_ request: RESTRequest) async -> RESTResponse {
        let body = Array(request.body.readableBytesView)
        var report = WebhookDeliveryReport()
        let response = await self.process(request, body: body, report: &report)
        await report.report(provider: .calendly, body: body, to: self.deliveries, logger: self.logger)
        return response
    }

    private func process(_ request: RESTRequest, body: [UInt8], report: inout WebhookDeliveryReport) async -> RESTResponse {
        let header = request.head.headers[CalendlySignatureVerifier.headerName.lowercased()]
        do {
            try self.verifier.verify(header: header, body: body, now: self.now())
        } catch {
            self.logger.warning("Calendly webhook refused: bad signature", metadata: ["reason": "\(error.reason)"])
            report.outcome = .rejected
            report.reason = "signature refused: \(error.detail)"
            return .error(RPCError(.unauthenticated, "Calendly webhook signature refused: \(error.detail)"))
        }
        let webhook: CalendlyWebhook
        do {
            webhook = try CalendlyWebhook.parse(body)
        } catch {
            self.logger.warning("Calendly webhook refused: malformed body", metadata: ["error": "\(error.detail)"])
            report.outcome = .invalid
            report.reason = "not a Calendly webhook: \(error.detail)"
            return .error(RPCError(.invalidArgument, "not a Calendly webhook: \(error.detail)"))
        }
        report.event = webhook.name
        let result: CalendlyBookings.Result
        do {
            result = try await self.bookings.apply(webhook)
        } catch {
            let status = Self.status(for: error)
            if status.code == .invalidArgument { report.outcome = .invalid }
            report.reason = status.message
            self.logger.log(
                level: status.code == .invalidArgument ? .warning : .error, "Calendly webhook not applied",
                metadata: ["event": "\(webhook.name)", "delivery": "\(webhook.deliveryKey)", "error": "\(error)"])
            return .error(status)
        }
        switch result.kind {
        case .applied: report.outcome = .applied
        case .duplicate: report.outcome = .duplicate
        case .ignored: report.outcome = .ignored
        }
        report.reason = result.detail
        report.callID = result.callID?.uuid
        self.logger.info(
            "Calendly webhook \(result.kind.rawValue)",
            metadata: [
                "event": "\(webhook.name)", "delivery": "\(webhook.deliveryKey)", "detail": "\(result.detail)",
                "call": "\(result.callID?.uuidString ?? "")",
            ])
        var members = [
            JSONMember(key: "result", value: .string(result.kind.rawValue)),
            JSONMember(key: "detail", value: .string(result.detail)),
        ]
        if let id = result.callID { members.append(JSONMember(key: "callId", value: .string(id.uuidString))) }
        return RESTResponse(
            status: 200, headers: ["content-type": "application/json"],
            body: ByteBuffer(bytes: JSONValue.object(members).serializedUTF8Bytes()))
    }

    /// A failure after verification: a payload the app cannot use is 400; a database or
    /// Calendly API that did not answer is 503 (Calendly retries); the rest as the RPCs map them.
    static func status(for error: any Error) -> RPCError {
        if let error = error as? ProviderError {
            if error.reason == .malformedPayload { return RPCError(.invalidArgument, "not a usable Calendly webhook: \(error.detail)") }
            return RPCError(.unavailable, "the Calendly API did not give the scheduled event; retry", cause: error)
        }
        return WebhookLimits.failure(error)
    }
}

extension CalendlyWebhookEndpoint {
    /// The endpoint calling Calendly's API at `configuration.baseURL` when a payload lacks its
    /// scheduled event.
    init(
        configuration: CalendlyConfiguration, calls: CallRepository, experts: ExpertRepository, directory: ExpertDirectory,
        ledger: WebhookDeliveryLedger, deliveries: WebhookDeliveryLog, bookingLinkSecret: [UInt8]?,
        httpClient: any HTTPClient, logger: Logger, now: @escaping @Sendable () -> Date,
        preparation: PreparationGuide = .builtIn
    ) throws(ProviderError) {
        self.init(
            verifier: try CalendlySignatureVerifier(
                signingKey: configuration.webhookSecret, tolerance: configuration.signatureTolerance),
            bookings: CalendlyBookings(
                calls: calls, directory: directory, experts: experts, ledger: ledger,
                client: CalendlyClient(apiKey: configuration.apiKey, baseURL: configuration.baseURL, httpClient: httpClient),
                topicQuestion: configuration.topicQuestion, bookingLinkSecret: bookingLinkSecret, logger: logger, now: now,
                preparation: preparation),
            deliveries: deliveries, logger: logger, now: now)
    }
}
