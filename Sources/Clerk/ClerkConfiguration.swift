public import Foundation

/// How session tokens are verified. Defaults follow CONTRACT.md's "Settings".
///
/// At least one key source is required: `jwtKeyPEM` (networkless) or `jwksURL` (from the
/// environment, set or derived: see `readKeySource`). With both, a
/// token whose `kid` is in the JWKS is checked with that key, and any other token with the PEM
/// key (see `SessionTokenVerifier`).
public struct ClerkConfiguration: Sendable {
    /// `CLERK_JWT_KEY`: the instance's PEM public key (Dashboard → API keys → JWT public key).
    public var jwtKeyPEM: String?
    /// `CLERK_JWKS_URL`: the Frontend API's `/.well-known/jwks.json` or the Backend API's
    /// `https://api.clerk.com/v1/jwks`; unset, derived from `CLERK_SECRET_KEY` or
    /// `CLERK_PUBLISHABLE_KEY`.
    public var jwksURL: URL?
    /// Sent with each JWKS fetch. From the environment: `Authorization: Bearer <CLERK_SECRET_KEY>`
    /// for the Backend API's JWKS, and nothing for any other host, so the secret key never goes
    /// anywhere but api.clerk.com.
    public var jwksHeaders: [String: String]
    /// `CLERK_ISSUER`: the Frontend API URL, compared with `iss` exactly. Unset: not checked.
    public var issuer: String?
    /// `CLERK_AUTHORIZED_PARTIES`: allowed `azp` origins. Empty: not checked.
    public var authorizedParties: [String]
    /// `CLERK_CLOCK_SKEW_SECONDS` [5]: leeway for `exp` and `nbf`, as Clerk's SDKs allow.
    public var clockSkew: Duration
    /// `CLERK_ROLE_CLAIM` [`metadata.role`]: a dotted path through nested claim objects.
    public var roleClaimPath: String
    /// `CLERK_EMAIL_CLAIM` [`email`]: a dotted path, like the role's.
    public var emailClaim: String
    /// `CLERK_EMAIL_VERIFIED_CLAIM` [`email_verified`]: a dotted path to a claim that must be
    /// JSON `true` before the email may claim bookings. Clerk's default session token carries
    /// neither claim; an instance adds both in its session token template
    /// (`"email_verified": "{{user.email_verified}}"`).
    public var emailVerifiedClaim: String
    /// The JWKS is refetched for an unknown `kid` at most once per this interval, so a stream of
    /// tokens with made-up `kid`s cannot turn into a stream of requests to Clerk.
    public var jwksMinimumRefreshInterval: Duration

    public init(
        jwtKeyPEM: String? = nil,
        jwksURL: URL? = nil,
        jwksHeaders: [String: String] = [:],
        issuer: String? = nil,
        authorizedParties: [String] = [],
        clockSkew: Duration = .seconds(5),
        roleClaimPath: String = "metadata.role",
        emailClaim: String = "email",
        emailVerifiedClaim: String = "email_verified",
        jwksMinimumRefreshInterval: Duration = .seconds(60)
    ) {
        self.jwtKeyPEM = jwtKeyPEM
        self.jwksURL = jwksURL
        self.jwksHeaders = jwksHeaders
        self.issuer = issuer
        self.authorizedParties = authorizedParties
        self.clockSkew = clockSkew
        self.roleClaimPath = roleClaimPath
        self.emailClaim = emailClaim
        self.emailVerifiedClaim = emailVerifiedClaim
        self.jwksMinimumRefreshInterval = jwksMinimumRefreshInterval
    }

    /// The largest `CLERK_CLOCK_SKEW_SECONDS` accepted: Clerk's tokens live 60 s, so a skew of
    /// minutes would only hide a broken clock, and a typo of hours would revive expired tokens.
    public static let maximumClockSkewSeconds = 300

    /// Reads the `CLERK_*` settings. Every error names its variable; an empty value counts as
    /// unset. `CLERK_JWT_KEY` is parsed here so a bad key stops startup, not the first request.
    public init(environment: [String: String]) throws(ClerkConfigurationError) {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                return nil
            }
            return text
        }
        self.init()

        try self.readKeySource(value)
        self.issuer = value("CLERK_ISSUER")
        if let parties = value("CLERK_AUTHORIZED_PARTIES") {
            self.authorizedParties = try Self.origins(parties)
        }
        if let text = value("CLERK_CLOCK_SKEW_SECONDS") {
            guard let seconds = Int(text), (0...Self.maximumClockSkewSeconds).contains(seconds) else {
                throw ClerkConfigurationError(
                    variable: "CLERK_CLOCK_SKEW_SECONDS",
                    "must be a whole number of seconds from 0 to \(Self.maximumClockSkewSeconds), not \(text.debugDescription)")
            }
            self.clockSkew = .seconds(seconds)
        }
        if let path = value("CLERK_ROLE_CLAIM") {
            guard Self.claimPath(path) != nil else {
                throw ClerkConfigurationError(
                    variable: "CLERK_ROLE_CLAIM", "must be a claim name or a dotted path like metadata.role, not \(path.debugDescription)")
            }
            self.roleClaimPath = path
        }
        if let path = value("CLERK_EMAIL_CLAIM") {
            guard Self.claimPath(path) != nil else {
                throw ClerkConfigurationError(
                    variable: "CLERK_EMAIL_CLAIM", "must be a claim name or a dotted path like email, not \(path.debugDescription)")
            }
            self.emailClaim = path
        }
        if let path = value("CLERK_EMAIL_VERIFIED_CLAIM") {
            guard Self.claimPath(path) != nil else {
                throw ClerkConfigurationError(
                    variable: "CLERK_EMAIL_VERIFIED_CLAIM",
                    "must be a claim name or a dotted path like email_verified, not \(path.debugDescription)")
            }
            self.emailVerifiedClaim = path
        }
    }

    /// The segments of a dotted claim path, or nil when one is empty (`metadata..role`).
    static func claimPath(_ path: String) -> [String]? {
        let segments = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !segments.isEmpty, segments.allSatisfy({ !$0.isEmpty }) else { return nil }
        return segments
    }

    /// Comma-separated origins (`https://app.example.com`). An `azp` is an Origin, which never
    /// ends in a slash or has a path, so such entries could never match and are errors.
    static func origins(_ text: String) throws(ClerkConfigurationError) -> [String] {
        let entries = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for entry in entries {
            guard let url = URL(string: entry), url.scheme != nil, url.host != nil, url.path.isEmpty,
                  url.query == nil, url.fragment == nil
            else {
                throw ClerkConfigurationError(
                    variable: "CLERK_AUTHORIZED_PARTIES",
                    "must list origins like https://app.example.com (no path or trailing slash), not \(entry.debugDescription)")
            }
        }
        return entries
    }
}

/// A `CLERK_*` setting that cannot be used; the message starts with the variable's name.
public struct ClerkConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var variable: String
    public var message: String

    public init(variable: String, _ message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { "\(self.variable) \(self.message)" }
}
