import Foundation
import Synchronization
import Testing
import TestSupport
import TestTokens

@testable import Clerk
import OutboundHTTP

/// What the JWKS endpoint answers.
enum JWKSReply: Sendable {
    /// 200 with this body, and header fields such as `Cache-Control`.
    case ok(Data, headers: [String: String] = [:])
    case status(Int, Data)
    case failure

    var responder: RecordingHTTPClient.ResponseResponder {
        switch self {
        case .ok(let body, let headers): { _ in OutboundResponse(status: 200, headers: headers, body: body) }
        case .status(let status, let body): { _ in OutboundResponse(status: status, body: body) }
        case .failure: { _ in nil }
        }
    }
}

extension RecordingHTTPClient {
    /// Clerk's JWKS endpoint answering `reply`, each answer after `delay`.
    convenience init(_ reply: JWKSReply, delay: Duration = .zero) {
        self.init(delay: delay, responses: reply.responder)
    }

    func set(_ reply: JWKSReply) { self.answer(responses: reply.responder) }

    var lastHeaders: [String: String]? { self.recorded.last?.headers }
}

/// A JWKS document with these keys, as Clerk serves it.
func jwks(_ keys: [(kid: String, n: String, e: String)]) -> Data {
    let entries = keys.map { ["kid": $0.kid, "kty": "RSA", "alg": "RS256", "use": "sig", "n": $0.n, "e": $0.e] }
    return try! JSONSerialization.data(withJSONObject: ["keys": entries])
}

let jwksURL = URL(string: "https://clerk.example.com/.well-known/jwks.json")!

/// 2024-06-10T14:00:00Z, the "now" of every test.
let now = Date(timeIntervalSince1970: 1_718_028_000)

/// Claims of a valid v2 session token at `now`, as providers.md 5.1's example.
func validClaims() -> [String: Any] {
    [
        "azp": "https://app.example.com", "exp": 1_718_028_060, "iat": 1_718_028_000,
        "iss": "https://clerk.example.com", "nbf": 1_718_027_990, "sid": "sess_2hK9xYz",
        "sub": "user_2hK9abc", "v": 2, "fva": [3, -1], "sts": "active",
        "metadata": ["role": "expert"], "email": "ada@example.com",
    ]
}

func claims(_ changes: [String: Any?]) -> [String: Any] {
    var result = validClaims()
    for (name, value) in changes { result[name] = value }
    return result
}

/// A token signed by key A (the PEM key of `pemVerifier`).
func tokenA(_ claims: [String: Any] = validClaims(), kid: String? = nil) -> String {
    var header: [String: Any] = ["alg": "RS256", "typ": "JWT"]
    if let kid { header["kid"] = kid }
    return TokenMinter.mint(header: header, claims: claims, signing: .rs256(privateKeyPEM: TestKeys.privateA))
}

func tokenB(_ claims: [String: Any] = validClaims(), kid: String? = "ins_B") -> String {
    var header: [String: Any] = ["alg": "RS256", "typ": "JWT"]
    if let kid { header["kid"] = kid }
    return TokenMinter.mint(header: header, claims: claims, signing: .rs256(privateKeyPEM: TestKeys.privateB))
}

func pemConfiguration() -> ClerkConfiguration {
    ClerkConfiguration(
        jwtKeyPEM: TestKeys.publicA, issuer: "https://clerk.example.com",
        authorizedParties: ["https://app.example.com", "https://admin.example.com"])
}

/// Expects `verify` to throw `reason`, and the error's text not to quote the token.
func expectRejection(
    _ verifier: SessionTokenVerifier, _ token: String, _ reason: AuthError.Reason, at time: Date = now,
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    do {
        let session = try await verifier.verify(token, now: time)
        Issue.record("accepted a token that should fail with \(reason): \(session)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.reason == reason, "\(error)", sourceLocation: sourceLocation)
        let text = String(describing: error)
        for part in token.split(separator: ".") where part.count > 8 {
            #expect(!text.contains(part), "the error quotes the token", sourceLocation: sourceLocation)
        }
    }
}
