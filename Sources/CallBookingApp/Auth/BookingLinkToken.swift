import Crypto
import Foundation

/// The `utm_content` of a signed booking link: who the booking is for, until when, and an
/// HMAC-SHA256 under `BOOKING_LINK_SECRET` over both, so that a Calendly booking is put into a
/// user's account only when our server issued that link.
///
/// `bl1.<user id>.<expiry, Unix seconds>.<base64url MAC of "bl1.<user id>.<expiry>">`, about 90
/// characters for a Clerk id. The version prefix lets a later format (or a rotated secret's
/// grace period) be told apart; the user id is visible, as it is in Clerk's own tokens.
struct BookingLinkToken: Sendable, Hashable {
    static let version = "bl1"
    /// How long a link may be used to book. Loop's apps ask for a link when they show the
    /// booking page, so a week covers a page left open, and a leaked link stops working soon.
    static let lifetime: TimeInterval = 7 * 24 * 3600
    /// The shortest secret accepted: the MAC's key, as long as its output.
    static let minimumSecretBytes = 32

    let userID: String
    /// Whole seconds: what the text carries.
    let expiresAt: Date

    init(userID: String, expiresAt: Date) {
        self.userID = userID
        self.expiresAt = Date(timeIntervalSince1970: expiresAt.timeIntervalSince1970.rounded(.down))
    }

    /// Why a `utm_content` did not name a user; logged, never answered to anyone.
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case malformed, badSignature, expired

        var description: String {
            switch self {
            case .malformed: "not a signed booking link value"
            case .badSignature: "its signature is not ours"
            case .expired: "the link had expired when the booking was made"
            }
        }
    }

    /// A Clerk user id (`user_…`): letters, digits, `_` and `-`, so it never contains the
    /// separator, and at most 64 characters.
    static func isUserID(_ text: some StringProtocol) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }

    func encoded(secret: [UInt8]) -> String {
        let signed = "\(Self.version).\(self.userID).\(Int64(self.expiresAt.timeIntervalSince1970))"
        return signed + "." + Base64URL.encode(HMACSHA256.authenticate(key: secret, message: Array(signed.utf8)))
    }

    /// The token `text` carries when its MAC is ours and it had not expired at `bookedAt`.
    static func verify(_ text: String, secret: [UInt8], bookedAt: Date) throws(Refusal) -> BookingLinkToken {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.version, Self.isUserID(parts[1]),
              parts[2].utf8.count <= 12, let expiry = Int64(parts[2]), expiry > 0,
              let mac = Base64URL.decode(parts[3]), mac.count == HMACSHA256.byteCount
        else { throw .malformed }
        let signed = Array(text.utf8.prefix(text.utf8.count - parts[3].utf8.count - 1))
        guard ConstantTime.equals(HMACSHA256.authenticate(key: secret, message: signed), mac) else {
            throw .badSignature
        }
        let token = BookingLinkToken(userID: String(parts[1]), expiresAt: Date(timeIntervalSince1970: TimeInterval(expiry)))
        guard bookedAt < token.expiresAt else { throw .expired }
        return token
    }
}
