public import Foundation

/// A Calendly user (`GET /users/me`'s `resource`): only what booking links need.
public struct CalendlyUser: Sendable, Hashable, Decodable {
    public var uri: String
    /// The user's booking page, `https://calendly.com/<slug>`.
    public var schedulingURL: URL

    public init(uri: String, schedulingURL: URL) {
        self.uri = uri
        self.schedulingURL = schedulingURL
    }

    enum CodingKeys: String, CodingKey {
        case uri
        case schedulingURL = "scheduling_url"
    }
}
