import Foundation
import Synchronization
import Testing
import TestTokens

@testable import Clerk
import OutboundHTTP

/// An in-process JWKS server: answers each GET from `respond`, counting and recording requests.
final class FakeHTTPClient: HTTPClient {
    enum Reply: Sendable {
        case ok(Data)
        case status(Int, Data)
        case failure
    }

    private struct State {
        var reply: Reply
        var requests: [(url: URL, headers: [String: String])] = []
    }

    private let state: Mutex<State>
    /// Each GET sleeps this long before answering, so concurrent lookups overlap it.
    private let delay: Duration

    init(_ reply: Reply, delay: Duration = .zero) {
        self.state = Mutex(State(reply: reply))
        self.delay = delay
    }

    func set(_ reply: Reply) { self.state.withLock { $0.reply = reply } }
    var requestCount: Int { self.state.withLock { $0.requests.count } }
    var lastHeaders: [String: String]? { self.state.withLock { $0.requests.last?.headers } }

    struct Unreachable: Error {}

    func send(_ outbound: OutboundRequest) async throws -> (status: Int, body: Data) {
        let (url, headers) = (outbound.url, outbound.headers)
        let reply = self.state.withLock { state in
            state.requests.append((url, headers))
            return state.reply
        }
        if self.delay > .zero { try await Task.sleep(for: self.delay) }
        switch reply {
        case .ok(let body): return (200, body)
        case .status(let status, let body): return (status, body)
        case .failure: throw Unreachable()
        }
    }
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
