/// Why a session token was refused. The app maps every reason to UNAUTHENTICATED (401); the
/// reason and detail are for logs and tests.
///
/// Like `StoreError`, a struct with an extensible `Reason` (a private enum behind static lets), so
/// a new reason breaks no `switch` outside this module. `detail` is fixed text written here: it
/// never quotes the token, its claims or its header, so logging an `AuthError` leaks nothing a
/// replay could use.
public struct AuthError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case malformed, unsupportedAlgorithm, badSignature, expired, notYetValid
            case wrongIssuer, unauthorizedParty, pendingSession, unknownKey, keySourceUnavailable
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Not a compact JWS, over the size limit, not JSON, or a required claim (`sub`, `exp`)
        /// missing or of the wrong type.
        public static let malformed = Reason(.malformed)
        /// `alg` is anything but `RS256`: `none`, `HS256` (a public key must never become an HMAC
        /// secret), `RS384`…
        public static let unsupportedAlgorithm = Reason(.unsupportedAlgorithm)
        public static let badSignature = Reason(.badSignature)
        /// `exp` is at or before now minus the clock skew.
        public static let expired = Reason(.expired)
        /// `nbf` is after now plus the clock skew.
        public static let notYetValid = Reason(.notYetValid)
        /// `iss` differs from `CLERK_ISSUER` (or is missing while one is configured).
        public static let wrongIssuer = Reason(.wrongIssuer)
        /// `azp` is present and not in `CLERK_AUTHORIZED_PARTIES`.
        public static let unauthorizedParty = Reason(.unauthorizedParty)
        /// `sts` is `pending`: the sign-in is not finished, so the user counts as signed out.
        public static let pendingSession = Reason(.pendingSession)
        /// No configured key matches: the `kid` is not in the JWKS even after a refresh (or a
        /// refresh was not allowed yet), or the token has no `kid` and there is no PEM key.
        public static let unknownKey = Reason(.unknownKey)
        /// The JWKS could not be fetched or read, and no other key applies.
        public static let keySourceUnavailable = Reason(.keySourceUnavailable)

        public var description: String { self.base.rawValue }
    }

    public var reason: Reason
    /// Fixed text for logs; never token contents.
    public var detail: String

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "AuthError(\(self.reason)): \(self.detail)" }
}
