import BookingDomain
import Crypto

/// The `page_token` of the operations listings: the id of the last row of the page, as
/// base64url of "<listing>|<id>", so that a token of one listing is refused by the other.
struct OperationsPageToken: Hashable, Sendable {
    /// Longer tokens are refused before decoding.
    static let maximumLength = 64

    let listing: String
    let lastID: Int64

    var token: String { Base64URL.encode(Array("\(self.listing)|\(self.lastID)".utf8)) }

    /// The id a client's token continues after; nil for an empty token (the first page).
    static func lastID(of token: String, listing: String) throws(BookingError) -> Int64? {
        guard !token.isEmpty else { return nil }
        let invalid = BookingError.invalidArgument("page_token is not a token this service issued")
        guard token.utf8.count <= Self.maximumLength, let bytes = Base64URL.decode(token),
            let text = String(validating: bytes, as: UTF8.self)
        else { throw invalid }
        let fields = text.split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 2, fields[0] == listing, fields[1].utf8.count <= 19, let id = Int64(fields[1]), id > 0
        else { throw invalid }
        return id
    }
}
