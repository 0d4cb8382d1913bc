import BookingAPI
import BookingDomain
import Calendly
import Crypto
import Foundation
import ProtoWire
import RPC
import Testing
import TestSupport

@testable import CallBookingApp

struct BookingLinkTokenTests {
    let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    let expiry = Date.utc("2030-01-08T00:00:00Z")

    @Test func theFormatIsVersionUserExpiryAndMAC() throws {
        let text = BookingLinkToken(userID: "user_2hK9", expiresAt: self.expiry).encoded(secret: self.secret)
        let parts = text.split(separator: ".")
        #expect(parts.count == 4 && parts[0] == "bl1" && parts[1] == "user_2hK9" && parts[2] == "1894060800")
        let mac = HMACReference.hmacSHA256Base64URL(key: self.secret, message: "bl1.user_2hK9.1894060800")
        #expect(String(parts[3]) == mac)
        let token = try BookingLinkToken.verify(text, secret: self.secret, bookedAt: self.expiry - 1)
        #expect(token == BookingLinkToken(userID: "user_2hK9", expiresAt: self.expiry))
    }

    @Test func forgedTamperedExpiredAndMalformedValuesAreRefused() {
        let good = BookingLinkToken(userID: "user_a", expiresAt: self.expiry).encoded(secret: self.secret)
        let cases: [(String, BookingLinkToken.Refusal)] = [
            (BookingLinkToken(userID: "user_a", expiresAt: self.expiry).encoded(secret: Array("other".utf8)), .badSignature),
            (good.replacingOccurrences(of: "user_a", with: "user_b"), .badSignature),
            (good.replacingOccurrences(of: ".1894060800.", with: ".1994060800."), .badSignature),
            ("user_a", .malformed),
            ("bl2" + good.dropFirst(3), .malformed),
            (good + ".x", .malformed),
            ("bl1.user a.1894060800." + good.split(separator: ".")[3], .malformed),
            ("bl1.user_a.-5." + good.split(separator: ".")[3], .malformed),
            ("bl1.user_a.1894060800.AAAA", .malformed),
        ]
        for (text, refusal) in cases {
            #expect(throws: refusal, "\(text)") { try BookingLinkToken.verify(text, secret: self.secret, bookedAt: self.expiry - 60) }
        }
        #expect(throws: BookingLinkToken.Refusal.expired) {
            try BookingLinkToken.verify(good, secret: self.secret, bookedAt: self.expiry)
        }
    }
}

/// An HMAC computed apart from `BookingLinkToken`, through `HMACSHA256` and base64url by hand.
enum HMACReference {
    static func hmacSHA256Base64URL(key: [UInt8], message: String) -> String {
        Data(HMACSHA256.authenticate(key: key, message: Array(message.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

struct BookingLinkServiceTests {
    static let now = Date.utc("2030-01-01T08:00:00Z")
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    static let me = #"{"resource": {"uri": "https://api.calendly.com/users/OWNER", "scheduling_url": "https://calendly.com/loop"}}"#

    static func service(secret: [UInt8]? = secret, api: RecordingHTTPClient = RecordingHTTPClient(body: me))
        -> BookingLinkService
    {
        BookingLinkService(
            secret: secret,
            accountPage: CalendlyAccountPage(client: CalendlyClient(apiKey: "k", httpClient: api)),
            authenticator: NoAuthenticator(), now: { now })
    }

    static let customer = Principal(userID: "user_c", role: .customer, email: nil, expertID: nil)

    static func request(user: String = "", page: String = "") -> CreateBookingLinkRequest {
        var request = CreateBookingLinkRequest()
        request.userID = user
        request.schedulingURL = page
        return request
    }

    @Test func aCustomerGetsTheAccountsPageSignedForThemselves() async throws {
        let api = RecordingHTTPClient(body: Self.me)
        let service = Self.service(api: api)
        let link = try await service.create(Self.request(), by: Self.customer)
        #expect(link.userID == "user_c")
        #expect(link.expiresAt == Timestamp(date: Self.now + BookingLinkToken.lifetime))
        #expect(link.url == "https://calendly.com/loop?utm_content=\(link.utmContent)")
        #expect(try BookingLinkToken.verify(link.utmContent, secret: Self.secret, bookedAt: Self.now).userID == "user_c")
        _ = try await service.create(Self.request(), by: Self.customer)
        #expect(api.recorded.map(\.path) == ["/users/me"], "the account's page is asked for once")
    }

    @Test func theRequestsPageKeepsItsParametersAndLosesAnyEarlierUTMContent() async throws {
        let link = try await Self.service().create(
            Self.request(page: "https://calendly.com/loop/30min?month=2030-01&utm_content=user_victim"), by: Self.customer)
        #expect(link.url == "https://calendly.com/loop/30min?month=2030-01&utm_content=\(link.utmContent)")
    }

    @Test func whoMayAskForWhom() async throws {
        let admin = Principal(userID: "user_a", role: .admin, email: nil, expertID: nil)
        let expert = Principal(userID: "user_e", role: .expert, email: nil, expertID: ExpertID())
        #expect(try await Self.service().create(Self.request(user: "user_x"), by: admin).userID == "user_x")
        #expect(try await Self.service().create(Self.request(user: "user_c"), by: Self.customer).userID == "user_c")
        let refusals: [(CreateBookingLinkRequest, Principal, String)] = [
            (Self.request(user: "user_x"), Self.customer, "PERMISSION_DENIED"),
            (Self.request(), expert, "PERMISSION_DENIED"),
            (Self.request(), admin, "INVALID_ARGUMENT"),
            (Self.request(user: "user x.y"), admin, "INVALID_ARGUMENT"),
            (Self.request(page: "http://calendly.com/loop"), Self.customer, "INVALID_ARGUMENT"),
            (Self.request(page: "https://calendly.com.evil.example/loop"), Self.customer, "INVALID_ARGUMENT"),
            (Self.request(page: "https://user@calendly.com/loop"), Self.customer, "INVALID_ARGUMENT"),
        ]
        for (request, caller, status) in refusals {
            let error = await #expect(throws: BookingError.self) { try await Self.service().create(request, by: caller) }
            #expect(error?.description.hasPrefix(status) == true, "\(request.userID) \(request.schedulingURL): \(String(describing: error))")
        }
    }

    @Test func withoutTheSecretThereAreNoLinksAndWithoutCalendlyNoDefaultPage() async throws {
        let off = await #expect(throws: BookingError.self) {
            try await Self.service(secret: nil).create(Self.request(), by: Self.customer)
        }
        #expect(off?.description.contains("BOOKING_LINK_SECRET") == true)
        let down = await #expect(throws: RPCError.self) {
            try await Self.service(api: .unreachable()).create(Self.request(), by: Self.customer)
        }
        #expect(down?.code == .unavailable)
        // A page in the request needs no Calendly.
        _ = try await Self.service(api: .unreachable()).create(Self.request(page: "https://calendly.com/loop"), by: Self.customer)
    }
}
