import BookingAPI
import BookingDomain
import Calendly
import Foundation
import ProtoWire
import RPC
import Synchronization

/// CreateBookingLink: a Calendly scheduling link whose `utm_content` is a `BookingLinkToken`,
/// so the booking it leads to becomes the named user's call (`CalendlyBookings` checks it).
///
/// The page is the request's `scheduling_url` (an event type on calendly.com) or else the
/// Calendly account's own page (`GET /users/me`, asked once per process and kept: it changes
/// only when the account's slug does). Without `BOOKING_LINK_SECRET` there are no links.
struct BookingLinkService: Sendable {
    let secret: [UInt8]?
    let accountPage: CalendlyAccountPage
    let authenticator: any CallerAuthenticator
    let now: @Sendable () -> Date

    func register(in router: inout RPCRouter) {
        let service = self
        let auth = self.authenticator
        router.register(CallServiceMethods.createBookingLink) { request, context in
            try await service.create(request, by: auth.authenticate(context))
        }
    }

    func create(_ request: CreateBookingLinkRequest, by caller: Principal) async throws -> BookingLink {
        let userID = try AccessPolicy.userForBookingLink(requested: request.userID, by: caller)
        guard BookingLinkToken.isUserID(userID) else {
            throw BookingError.invalidArgument("user_id must be a Clerk user id (letters, digits, _ and -, at most 64)")
        }
        guard let secret = self.secret else {
            throw BookingError.failedPrecondition("booking links are not enabled: BOOKING_LINK_SECRET is not set")
        }
        let page = request.schedulingURL.isEmpty
            ? try await self.accountPage.url()
            : try Self.calendlyPage(request.schedulingURL)
        let token = BookingLinkToken(userID: userID, expiresAt: self.now().addingTimeInterval(BookingLinkToken.lifetime))
        let utmContent = token.encoded(secret: secret)
        var link = BookingLink()
        link.url = Self.url(page, utmContent: utmContent)
        link.utmContent = utmContent
        link.expiresAt = Timestamp(date: token.expiresAt)
        link.userID = userID
        return link
    }

    /// An https page on calendly.com or one of its subdomains, without credentials: the link
    /// is handed to browsers, and must not send them anywhere else under our name.
    static func calendlyPage(_ text: String) throws(BookingError) -> URLComponents {
        guard text.utf8.count <= 2048, let page = URLComponents(string: text), page.scheme?.lowercased() == "https",
              let host = page.host?.lowercased(), host == "calendly.com" || host.hasSuffix(".calendly.com"),
              page.user == nil, page.password == nil, page.port == nil
        else {
            throw .invalidArgument("scheduling_url must be an https page on calendly.com, like https://calendly.com/loop/30min")
        }
        return page
    }

    /// The page with `utm_content` set (any earlier one replaced), other parameters kept.
    static func url(_ page: URLComponents, utmContent: String) -> String {
        var page = page
        var items = (page.queryItems ?? []).filter { $0.name != "utm_content" }
        items.append(URLQueryItem(name: "utm_content", value: utmContent))
        page.queryItems = items
        return page.string ?? ""
    }
}

/// The Calendly account's own scheduling page, fetched on first use and kept.
final class CalendlyAccountPage: Sendable {
    private let client: CalendlyClient
    private let known = Mutex<URLComponents?>(nil)

    init(client: CalendlyClient) {
        self.client = client
    }

    func url() async throws -> URLComponents {
        if let page = self.known.withLock({ $0 }) { return page }
        let user: CalendlyUser
        do {
            user = try await self.client.currentUser()
        } catch {
            throw RPCError(.unavailable, "Calendly could not be asked for the account's scheduling page; try again or pass scheduling_url")
        }
        guard let page = URLComponents(url: user.schedulingURL, resolvingAgainstBaseURL: false) else {
            throw RPCError(.unavailable, "Calendly's scheduling_url is not a URL")
        }
        self.known.withLock { $0 = page }
        return page
    }
}
