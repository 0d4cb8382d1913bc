import BookingDomain
import BookingStore
import Calendly
import Crypto
import Foundation
import Logging
import NIOCore
import OutboundHTTP
import Synchronization
import Testing
import TestSupport
import Transport

@testable import CallBookingApp
@testable import RPC

/// The Calendly webhook without a database: what is refused before the store is touched, what
/// a delivery becomes (customer, topic, answers, cancellation reason), and fetching a scheduled
/// event the payload lacks. The store side runs against PostgreSQL in Tests/Interop.
@Suite struct CalendlyWebhookTests {
    static let secret = "unit-test-signing-key"
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let linkSecret = Array("a-booking-link-secret-of-32-bytes".utf8)
    /// The signed `utm_content` of a link for user_2hK9, valid when the fixtures' bookings arrive.
    static let signedLink = BookingLinkToken(userID: "user_2hK9", expiresAt: Date.utc("2025-06-11T00:00:00Z"))
        .encoded(secret: linkSecret)

    /// An endpoint whose database does not exist (port 1 refuses at once): a test that reaches
    /// the store sees 503.
    static func endpoint(api: any HTTPClient = RecordingHTTPClient(body: "{}")) throws -> CalendlyWebhookEndpoint {
        let pool = PGPool(configuration: PGConfiguration(
            url: "postgresql://nobody@127.0.0.1:1/none", poolSize: 1, statementTimeout: .seconds(1),
            leaseTimeout: .seconds(2), applicationName: "unit"))
        let calls = CallRepository(pool: pool)
        let experts = ExpertRepository(pool: pool)
        return try CalendlyWebhookEndpoint(
            configuration: CalendlyConfiguration(apiKey: "api-key", webhookSecret: Self.secret),
            calls: calls, experts: experts,
            directory: ExpertDirectory(experts: experts, holds: HoldRepository(pool: pool), calls: calls),
            ledger: WebhookDeliveryLedger(calls: calls), deliveries: WebhookDeliveryLog(pool: pool), bookingLinkSecret: Self.linkSecret, httpClient: api, logger: Logger(label: "test"),
            now: { Self.now })
    }

    static func sign(_ body: String, at time: Date = now, secret: String = secret) -> String {
        let stamp = String(Int(time.timeIntervalSince1970))
        let mac = HMACSHA256.authenticate(key: Array(secret.utf8), message: Array((stamp + "." + body).utf8))
        return "t=\(stamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func post(_ endpoint: CalendlyWebhookEndpoint, _ body: String, signature: String?) async -> (Int, String) {
        var headers = HTTPFields()
        if let signature { headers.append("calendly-webhook-signature", signature) }
        let request = RESTRequest(
            head: RequestHead(version: .http1_1, method: "POST", path: "/webhooks/calendly", authority: nil, headers: headers),
            pathVariables: [:], body: ByteBuffer(string: body))
        let response = await endpoint.handle(request)
        return (response.status, String(buffer: response.body))
    }

    static let invitee = """
        {"uri": "https://api.calendly.com/scheduled_events/EVT1/invitees/INV1", "email": "dana@example.org",
         "name": "Dana Lee", "status": "active", "timezone": "Europe/Berlin",
         "event": "https://api.calendly.com/scheduled_events/EVT1",
         "questions_and_answers": [{"question": "Anything else?", "answer": "Q2 numbers", "position": 2},
                                   {"question": " What would you like to discuss? ", "answer": "Onboarding", "position": 1}],
         "tracking": {"utm_content": " \(signedLink) "},
         "scheduled_event": {"uri": "https://api.calendly.com/scheduled_events/EVT1", "name": "30 Minute Consultation",
           "start_time": "2025-06-17T09:00:00.000000Z", "end_time": "2025-06-17T09:30:00.000000Z",
           "event_memberships": [{"user": "https://api.calendly.com/users/HOST1", "user_email": "coach@example.com"}]}}
        """
    static let created = #"{"event": "invitee.created", "created_at": "2025-06-10T14:00:03.000000Z", "payload": \#(invitee)}"#

    // MARK: refused before the store

    @Test func badSignaturesAre401InTheContractsErrorShape() async throws {
        let endpoint = try Self.endpoint()
        for signature in [nil, "t=1,v1=zz", Self.sign(Self.created + " "), Self.sign(Self.created, secret: "other"),
                          Self.sign(Self.created, at: Self.now - 181)] {
            let (status, body) = await Self.post(endpoint, Self.created, signature: signature)
            #expect(status == 401, "\(signature ?? "no header")")
            #expect(body.hasPrefix(#"{"code":16,"message":"Calendly webhook signature refused: "#), "\(body)")
        }
    }

    @Test func aSignedBodyThatIsNotAWebhookIs400() async throws {
        let endpoint = try Self.endpoint()
        for body in ["{", #"{"event": "invitee.created"}"#, Self.created.replacingOccurrences(of: #""email""#, with: #""mail""#)] {
            let (status, answer) = await Self.post(endpoint, body, signature: Self.sign(body))
            #expect(status == 400 && answer.contains(#""code":3"#), "\(answer)")
        }
    }

    @Test func otherEventsAreAcknowledgedWithoutTheDatabase() async throws {
        let body = #"{"event": "routing_form_submission.created", "created_at": "2025-06-10T13:59:00Z", "payload": {"uri": "https://api.calendly.com/routing_form_submissions/RFS1"}}"#
        let (status, answer) = await Self.post(try Self.endpoint(), body, signature: Self.sign(body))
        #expect(status == 200 && answer.contains(#""result":"ignored""#), "\(answer)")
    }

    @Test func aDatabaseThatCannotBeReachedIs503SoCalendlyRetries() async throws {
        let (status, answer) = await Self.post(try Self.endpoint(), Self.created, signature: Self.sign(Self.created))
        #expect(status == 503 && answer.contains(#""code":14"#), "\(answer)")
    }

    // MARK: what a delivery becomes

    static func parsedInvitee() throws -> Invitee {
        guard case .inviteeCreated(let invitee) = try CalendlyWebhook.parse(Array(Self.created.utf8)).event else {
            throw ProviderError(.calendly, .malformedPayload, "not an invitee")
        }
        return invitee
    }

    @Test func theCustomerAndAnswersComeFromTheInvitee() throws {
        let invitee = try Self.parsedInvitee()
        let booked = Date.utc("2025-06-10T14:00:03Z")
        #expect(try Self.endpoint().bookings.customer(of: invitee, bookedAt: booked) == Customer(
            userID: "user_2hK9", email: "dana@example.org", name: "Dana Lee", timeZone: "Europe/Berlin"))
        #expect(CalendlyBookings.context(of: invitee).map(\.answer) == ["Onboarding", "Q2 numbers"])
    }

    /// Issue 14: `utm_content` is typed by whoever opens the Calendly link; only our signature,
    /// unexpired when the booking arrived, puts the call into an account.
    @Test func onlyASignedUnexpiredLinkNamesTheCustomer() throws {
        var invitee = try Self.parsedInvitee()
        let bookings = try Self.endpoint().bookings
        let booked = Date.utc("2025-06-10T14:00:03Z")
        let forged = BookingLinkToken(userID: "user_victim", expiresAt: booked + 60).encoded(secret: Array("x".utf8))
        let tampered = Self.signedLink.replacingOccurrences(of: "user_2hK9", with: "user_victim")
        for value in ["user_2hK9", forged, tampered, "bl1.user_2hK9.1.", ""] {
            invitee.tracking?.utmContent = value
            #expect(bookings.customer(of: invitee, bookedAt: booked).userID == "", "\(value)")
        }
        invitee.tracking?.utmContent = Self.signedLink
        #expect(bookings.customer(of: invitee, bookedAt: Date.utc("2025-06-11T00:00:00Z")).userID == "", "expired")
        let noSecret = CalendlyBookings(
            calls: bookings.calls, directory: bookings.directory, experts: bookings.experts, ledger: bookings.ledger,
            client: bookings.client, topicQuestion: nil, bookingLinkSecret: nil, logger: bookings.logger, now: bookings.now)
        #expect(noSecret.customer(of: invitee, bookedAt: booked).userID == "", "without BOOKING_LINK_SECRET it is ignored")
    }

    @Test func theTopicIsTheConfiguredQuestionsAnswerElseTheEventName() throws {
        let invitee = try Self.parsedInvitee()
        let event = try #require(invitee.scheduledEvent)
        #expect(CalendlyBookings.topic(of: invitee, event: event, question: "what would you like to discuss?") == "Onboarding")
        #expect(CalendlyBookings.topic(of: invitee, event: event, question: nil) == "30 Minute Consultation")
        #expect(CalendlyBookings.topic(of: invitee, event: event, question: "Not asked") == "30 Minute Consultation")
    }

    @Test func theCancellationReasonNamesWhoCancelled() {
        typealias C = Cancellation
        #expect(CalendlyBookings.cancellationReason(C(canceledBy: "Dana Lee", reason: "Flu", cancelerType: "invitee"))
            == "Flu (cancelled in Calendly by Dana Lee, invitee)")
        #expect(CalendlyBookings.cancellationReason(C(canceledBy: "Alex Coach", reason: nil, cancelerType: "host"))
            == "cancelled in Calendly by Alex Coach, host")
        #expect(CalendlyBookings.cancellationReason(nil) == "cancelled in Calendly")
        let long = CalendlyBookings.cancellationReason(C(canceledBy: "D", reason: String(repeating: "x", count: 5000), cancelerType: "invitee"))
        #expect(long.count == CallLifecycle.maximumReasonLength && long.hasSuffix("(cancelled in Calendly by D, invitee)"))
    }

    // MARK: fetching what the payload lacks

    @Test func aPayloadWithoutItsScheduledEventIsCompletedFromTheAPI() async throws {
        let api = RecordingHTTPClient(body: #"""
            {"resource": {"uri": "https://api.calendly.com/scheduled_events/EVT1", "name": "Deep Dive",
              "start_time": "2025-06-17T09:00:00Z", "end_time": "2025-06-17T10:00:00Z",
              "event_memberships": [{"user": "https://api.calendly.com/users/HOST1"}]}}
            """#)
        var invitee = try Self.parsedInvitee()
        let bookings = try Self.endpoint(api: api).bookings
        // Complete payloads need no request.
        _ = try await bookings.scheduledEvent(of: invitee)
        #expect(api.recorded.isEmpty)
        invitee.scheduledEvent = nil
        let fetched = try await bookings.scheduledEvent(of: invitee)
        #expect(fetched.name == "Deep Dive" && fetched.eventMemberships.map(\.user) == ["https://api.calendly.com/users/HOST1"])
        #expect(api.recorded.map(\.url.absoluteString) == ["https://api.calendly.com/scheduled_events/EVT1"])
    }
}
