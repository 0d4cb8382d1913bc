public import OutboundHTTP
public import Foundation
import Crypto

/// Verifies Clerk session tokens, networkless with a PEM key or through a cached JWKS
/// (providers.md 5.3). Shared by every request: immutable apart from the JWKS cache, which has
/// its own lock.
///
/// Order of checks, each failure an `AuthError`: size; three base64url parts; header `alg` is
/// exactly `RS256` and no `crit`; key choice; signature; only then the payload is parsed: `sub`,
/// `exp`, `nbf`, `iss`, `azp`, `sts`. Header members that name keys (`jku`, `x5u`, `jwk`) are
/// ignored: keys come only from our configuration.
public final class SessionTokenVerifier: Sendable {
    /// Tokens longer than this are refused before any decoding. Clerk's are about 1 KB, and they
    /// travel in a cookie, which browsers cap at 4 KB.
    public static let maximumTokenBytes = 8 * 1024

    private let configuration: ClerkConfiguration
    private let pemKey: RSAPublicKey?
    private let jwks: JWKSKeySource?
    private let roleClaimPath: [String]
    private let emailClaimPath: [String]
    private let emailVerifiedClaimPath: [String]
    private let clockSkew: TimeInterval
    /// Tokens verified before, answered without parsing or RS256 while they are valid.
    let verified = VerifiedSessionCache()

    /// Parses the PEM key and claim paths now, so that a configuration built in code fails here
    /// as `init(environment:)` would, naming the setting.
    public init(configuration: ClerkConfiguration, httpClient: any HTTPClient = URLSessionHTTPClient())
        throws(ClerkConfigurationError)
    {
        self.configuration = configuration
        if let pem = configuration.jwtKeyPEM {
            do {
                self.pemKey = try RSAPublicKey(pem: pem)
            } catch {
                throw ClerkConfigurationError(variable: "CLERK_JWT_KEY", "is not a PEM RSA public key (\(error.message))")
            }
        } else {
            self.pemKey = nil
        }
        self.jwks = configuration.jwksURL.map {
            JWKSKeySource(
                url: $0, headers: configuration.jwksHeaders, client: httpClient,
                minimumRefreshInterval: configuration.jwksMinimumRefreshInterval.seconds)
        }
        guard self.pemKey != nil || self.jwks != nil else {
            throw ClerkConfigurationError(variable: "CLERK_JWT_KEY", "is not set, nor is CLERK_JWKS_URL: one key source is required")
        }
        guard let rolePath = ClerkConfiguration.claimPath(configuration.roleClaimPath) else {
            throw ClerkConfigurationError(variable: "CLERK_ROLE_CLAIM", "must be a claim name or a dotted path")
        }
        guard let emailPath = ClerkConfiguration.claimPath(configuration.emailClaim) else {
            throw ClerkConfigurationError(variable: "CLERK_EMAIL_CLAIM", "must be a claim name or a dotted path")
        }
        guard let verifiedPath = ClerkConfiguration.claimPath(configuration.emailVerifiedClaim) else {
            throw ClerkConfigurationError(variable: "CLERK_EMAIL_VERIFIED_CLAIM", "must be a claim name or a dotted path")
        }
        self.roleClaimPath = rolePath
        self.emailClaimPath = emailPath
        self.emailVerifiedClaimPath = verifiedPath
        self.clockSkew = max(0, configuration.clockSkew.seconds)
    }

    /// The session a valid token carries. `now` is passed in so that expiry is testable; the app
    /// passes `Date()`. Suspends only to fetch the JWKS, for an unknown `kid`. A token verified
    /// before answers from `VerifiedSessionCache` while its `nbf`/`exp` window lasts.
    public func verify(_ token: String, now: Date) async throws(AuthError) -> VerifiedSession {
        guard token.utf8.count <= Self.maximumTokenBytes else {
            throw AuthError(.malformed, "the token is longer than \(Self.maximumTokenBytes) bytes")
        }
        let cacheKey = VerifiedSessionCache.key(token)
        if let cached = self.verified.entry(for: cacheKey, at: now), try await self.key(for: cached.kid, now: now) === cached.key {
            return cached.session
        }
        let entry = try await self.verifyAfresh(token, now: now)
        self.verified.insert(entry, for: cacheKey)
        return entry.session
    }

    /// Every check, in the order above, into what the cache keeps of a verified token.
    private func verifyAfresh(_ token: String, now: Date) async throws(AuthError) -> VerifiedSessionCache.Entry {
        let jws = try CompactJWS(token)

        // RS256 exactly (RFC 8725 §3.1): never `none`, never HS256, where our public key, which
        // anyone may know, would serve as the HMAC secret.
        guard case .string("RS256")? = jws.header["alg"] else {
            throw AuthError(.unsupportedAlgorithm, "only RS256 session tokens are accepted")
        }
        // RFC 7515 §4.1.11: extensions listed in `crit` must be understood; we understand none.
        guard jws.header["crit"] == nil else {
            throw AuthError(.malformed, "the token header has crit extensions")
        }
        let key = try await self.key(for: jws.header["kid"], now: now)
        guard key.verifyRS256(signature: jws.signature, message: jws.signingInput) else {
            throw AuthError(.badSignature, "the token signature does not verify")
        }

        guard let claims = JSONValue.objectWithUniqueNames(from: jws.payload) else {
            throw AuthError(.malformed, "the token payload is not a JSON object with unique member names")
        }
        let session = try self.session(from: claims, now: now)
        let notBefore: Date? = if case .number(let seconds)? = claims["nbf"] { Date(timeIntervalSince1970: seconds) } else { nil }
        return VerifiedSessionCache.Entry(
            session: session, kid: jws.header["kid"], key: key,
            validFrom: notBefore.map { $0.addingTimeInterval(-self.clockSkew) } ?? .distantPast,
            validUntil: session.expiresAt.addingTimeInterval(self.clockSkew))
    }

    /// PEM when configured, but a token whose `kid` the JWKS knows uses that key; without a PEM
    /// key, the JWKS key with the token's `kid`. With a PEM key, JWKS trouble (unknown `kid`,
    /// fetch failure) falls back to the PEM key rather than failing: it is Clerk's key too.
    private func key(for kidValue: JSONValue?, now: Date) async throws(AuthError) -> RSAPublicKey {
        var kid: String? = nil
        if let kidValue {
            guard case .string(let text) = kidValue, !text.isEmpty else {
                throw AuthError(.malformed, "the token header's kid is not a non-empty string")
            }
            kid = text
        }
        if let jwks = self.jwks, let kid {
            do {
                return try await jwks.key(for: kid, now: now)
            } catch {
                guard let pemKey = self.pemKey else { throw error }
                return pemKey
            }
        }
        guard let pemKey = self.pemKey else {
            throw AuthError(.unknownKey, "the token has no kid and no CLERK_JWT_KEY is configured")
        }
        return pemKey
    }

    private func session(from claims: [String: JSONValue], now: Date) throws(AuthError) -> VerifiedSession {
        guard case .string(let subject)? = claims["sub"], !subject.isEmpty else {
            throw AuthError(.malformed, "the token has no sub")
        }
        guard case .number(let expiry)? = claims["exp"] else {
            throw AuthError(.malformed, "the token has no numeric exp")
        }
        let nowSeconds = now.timeIntervalSince1970
        guard expiry > nowSeconds - self.clockSkew else {
            throw AuthError(.expired, "the token has expired")
        }
        if let notBefore = claims["nbf"] {
            guard case .number(let seconds) = notBefore else {
                throw AuthError(.malformed, "the token's nbf is not a number")
            }
            guard seconds <= nowSeconds + self.clockSkew else {
                throw AuthError(.notYetValid, "the token is not valid yet")
            }
        }
        if let issuer = self.configuration.issuer {
            guard case .string(issuer)? = claims["iss"] else {
                throw AuthError(.wrongIssuer, "the token was not issued by CLERK_ISSUER")
            }
        }
        if let party = claims["azp"], !self.configuration.authorizedParties.isEmpty {
            guard case .string(let origin) = party, self.configuration.authorizedParties.contains(origin) else {
                throw AuthError(.unauthorizedParty, "the token's azp is not in CLERK_AUTHORIZED_PARTIES")
            }
        }
        if case .string("pending")? = claims["sts"] {
            throw AuthError(.pendingSession, "the session is pending (sign-in not finished)")
        }
        let email = JSONValue.lookup(self.emailClaimPath, in: claims)?.string
        return VerifiedSession(
            userID: subject,
            role: VerifiedSession.Role(claim: JSONValue.lookup(self.roleClaimPath, in: claims)),
            email: email?.isEmpty == false ? email : nil,
            emailVerified: JSONValue.lookup(self.emailVerifiedClaimPath, in: claims) == .bool(true),
            sessionID: claims["sid"]?.string,
            expiresAt: Date(timeIntervalSince1970: expiry))
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`, for arithmetic with `Date`.
    var seconds: TimeInterval {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
