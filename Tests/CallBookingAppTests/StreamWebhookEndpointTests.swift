import BookingAPI
import BookingDomain
import BookingStore
import Crypto
import Foundation
import Logging
import NIOCore
@testable import RPC
import StreamVideo
import Testing
import TestSupport
import Transport

@testable import CallBookingApp

/// The Stream webhook route on a real PostgreSQL, as a hostile sender tries it: a captured body
/// replayed under a fresh `X-Webhook-Id` is a duplicate, and a store that cannot take the
/// delivery answers 5xx so Stream retries instead of dropping it.
@Suite struct StreamWebhookEndpointTests {
    static let secret = "stream-secret"

    /// The test's clock: a minute after the deliveries below were created.
    static let now = Date.utc("2030-01-07T09:02:00Z")

    static func endpoint(_ calls: CallRepository, pool: PGPool) throws -> StreamWebhookEndpoint {
        StreamWebhookEndpoint(
            verifier: try StreamWebhookVerifier(apiKey: "key", secret: Self.secret), ledger: WebhookDeliveryLedger(calls: calls),
            deliveries: WebhookDeliveryLog(pool: pool), callType: "consult", tolerance: 300, logger: AppFixture.logger, now: { now })
    }

    static func post(_ endpoint: StreamWebhookEndpoint, _ body: String, webhookID: String) async -> (Int, String) {
        let response = await endpoint.handle(Self.request(body, webhookID: webhookID))
        return (response.status, String(buffer: response.body))
    }

    /// A delivery of `body` signed as Stream signs it, unless a `signature` is given.
    static func request(_ body: String, webhookID: String, signature: String? = nil) -> RESTRequest {
        var headers = HTTPFields()
        headers.append("x-api-key", "key")
        headers.append(
            "x-signature",
            signature ?? hexString(HMACSHA256.authenticate(key: Array(Self.secret.utf8), message: Array(body.utf8))))
        headers.append("x-webhook-id", webhookID)
        return RESTRequest(
            head: RequestHead(version: .http1_1, method: "POST", path: "/webhooks/stream", authority: nil, headers: headers),
            pathVariables: [:], body: ByteBuffer(string: body))
    }

    @Test func aReplayedBodyUnderAFreshWebhookIDIsADuplicate() async throws {
        try await AppFixture.withFresh { app in
            let booked = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let body = #"{"type":"call.session_started","created_at":"2030-01-07T09:01:00Z","call_cid":"consult:\#(booked.id)"}"#
            let endpoint = try Self.endpoint(app.calls, pool: app.pool)
            let (first, answer) = await Self.post(endpoint, body, webhookID: "w1")
            #expect(first == 200 && answer.contains(#""result":"applied""#), "\(answer)")
            let (_, replayed) = await Self.post(endpoint, body, webhookID: "w2-fresh")
            #expect(replayed.contains(#""result":"duplicate""#), "\(replayed)")
        }
    }

    /// Issue 14: the signature never expires, so a captured body is refused by its age, before
    /// the ledger (whose keys `RETENTION_DAYS` prunes) is asked.
    @Test func aDeliveryCreatedBeyondTheToleranceIsRefusedAndChangesNothing() async throws {
        try await AppFixture.withFresh { app in
            let booked = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let endpoint = try Self.endpoint(app.calls, pool: app.pool)
            for created in ["2030-01-07T08:56:59Z", "2030-01-07T09:07:01Z"] {
                let body = #"{"type":"call.session_started","created_at":"\#(created)","call_cid":"consult:\#(booked.id)"}"#
                let (status, answer) = await Self.post(endpoint, body, webhookID: created)
                #expect(status == 401 && answer.contains("STREAM_WEBHOOK_TOLERANCE_SECONDS"), "\(created): \(answer)")
            }
            #expect(try await app.calls.find(CallID(validating: booked.id))?.state == .scheduled)
            let edge = #"{"type":"call.session_started","created_at":"2030-01-07T08:57:00Z","call_cid":"consult:\#(booked.id)"}"#
            let (status, _) = await Self.post(endpoint, edge, webhookID: "edge")
            #expect(status == 200)
            #expect(try await app.calls.find(CallID(validating: booked.id))?.state == .inProgress)
        }
    }

    @Test func everyDeliveryIsLoggedWithItsOutcomeReasonAndBodyHashRefusedOnesToo() async throws {
        try await AppFixture.withFresh { app in
            let booked = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let endpoint = try Self.endpoint(app.calls, pool: app.pool)
            let body = #"{"type":"call.session_started","created_at":"2030-01-07T09:01:00Z","call_cid":"consult:\#(booked.id)"}"#
            #expect(await Self.post(endpoint, body, webhookID: "w1").0 == 200)
            #expect(await endpoint.handle(Self.request(body, webhookID: "w2", signature: "00")).status == 401)

            let log = try await WebhookDeliveryLog(pool: app.pool).list(provider: .stream, outcome: nil, before: nil, limit: 10)
            #expect(log.map(\.delivery.outcome) == [.rejected, .applied])
            #expect(log.allSatisfy { $0.delivery.bodySHA256 == Hex.encode(SHA256.hash(Array(body.utf8))) })
            #expect(log.allSatisfy { $0.delivery.bodySize == body.utf8.count })
            #expect(log[0].delivery.reason == "refused: X-Signature is missing or not 64 hex digits")
            #expect(log[0].delivery.event.isEmpty)
            #expect(log[1].delivery.event == "call.session_started")
            #expect(try log[1].delivery.callID == CallID(validating: booked.id).uuid)
        }
    }

    @Test func aStoreThatCannotTakeTheDeliveryIs503SoStreamRetries() async throws {
        let pool = PGPool(configuration: PGConfiguration(
            url: "postgresql://nobody@127.0.0.1:1/none", poolSize: 1, statementTimeout: .seconds(1),
            leaseTimeout: .seconds(2), applicationName: "unit"))
        let id = CallID()
        let body = #"{"type":"call.session_started","created_at":"2030-01-07T09:01:00Z","call_cid":"consult:\#(id)"}"#
        let (status, answer) = await Self.post(try Self.endpoint(CallRepository(pool: pool), pool: pool), body, webhookID: "w")
        #expect(status == 503 && answer.contains(#""code":14"#), "\(answer)")
    }

    @Test(arguments: [
        (StoreError.Code.serializationFailure, RPCError.Code.unavailable), (.deadlockDetected, .unavailable),
        (.connectionLost, .unavailable), (.queryCanceled, .unavailable), (.uniqueViolation, .internal),
        (.exclusionViolation, .internal),
    ])
    func aStoreFailureIsNeverA4xx(code: StoreError.Code, expected: RPCError.Code) {
        #expect(WebhookLimits.failure(StoreError(code: code, message: "x")).code == expected)
    }
}
