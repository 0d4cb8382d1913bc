import Clerk
import Crypto
import Foundation
import FuzzSupport
import OutboundHTTP
import Synchronization
import TestTokens

/// A Clerk session token as `ClerkAuthenticator` takes it: `BearerToken.extract` from the
/// `authorization` and `cookie` headers, then `SessionTokenVerifier.verify` with a PEM key, so
/// no network. The first byte picks how the rest is read:
/// - even: a request, the `authorization` value, a newline, the `cookie` value;
/// - odd: a token's header JSON, a newline, its claims JSON, which this target encodes and
///   signs with the trusted key. Only signed tokens reach the claim checks, and a fuzzer
///   cannot forge a signature.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    if input.takeByte() % 2 == 0 {
        let authorization = input.takeHeader()
        let cookie = input.takeHeader()
        guard let token = BearerToken.extract(authorization: authorization, cookie: cookie) else { return 0 }
        // Spaces may remain inside a quoted cookie value; the token's base64url then refuses them.
        requireProperty(!token.isEmpty, "extracted an empty token")
        checkVerification(token, signedByUs: false)
    } else {
        let header = input.takeLine()
        let claims = input.takeRest()
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(claims)
        let signature = TokenMinter.rs256Signature(Array(signingInput.utf8), privateKeyPEM: TestKeys.privateA)
        checkVerification(signingInput + "." + Base64URL.encode(signature), signedByUs: true, claims: claims)
    }
    return 0
}

/// 2024-06-10T14:00:00Z, the time the corpus' tokens are valid at (as in ClerkTests).
let now = Date(timeIntervalSince1970: 1_718_028_000)
let clockSkew: TimeInterval = 5

/// The configuration of ClerkTests' PEM verifier: key A, an issuer, authorized parties.
let verifier = try! SessionTokenVerifier(
    configuration: ClerkConfiguration(
        jwtKeyPEM: TestKeys.publicA, issuer: "https://clerk.example.com",
        authorizedParties: ["https://app.example.com", "https://admin.example.com"],
        clockSkew: .seconds(clockSkew)),
    httpClient: NoNetwork())
/// Trusts key B only, and checks nothing but the signature and the required claims.
let otherKeyVerifier = try! SessionTokenVerifier(
    configuration: ClerkConfiguration(jwtKeyPEM: TestKeys.publicB), httpClient: NoNetwork())

/// An accepted token is bound to key A; a token signed with key A is never refused for its
/// signature; what an accepted signed token says is what its claims say.
func checkVerification(_ token: String, signedByUs: Bool, claims: [UInt8] = []) {
    switch verifyBlocking(verifier, token) {
    case .failure(let error):
        requireProperty(
            !signedByUs || error.reason != .badSignature, "refused a token signed with the trusted key: \(error)")
    case .success(let session):
        if case .failure(let error) = verifyBlocking(otherKeyVerifier, token) {
            requireProperty(error.reason == .badSignature, "key B refused key A's token as \(error.reason)")
        } else {
            propertyBroken("a token verified under two different keys")
        }
        // A millisecond of slack: `Date` keeps seconds since 2001, so the claim is rounded once.
        let expiresIn = session.expiresAt.timeIntervalSince(now)
        requireProperty(expiresIn > -clockSkew - 0.001, "accepted a token that expired at \(session.expiresAt)")
        if signedByUs {
            let object = try? JSONSerialization.jsonObject(with: Data(claims)) as? [String: Any]
            requireProperty(
                object?["sub"] as? String == session.userID, "session user \(session.userID) is not the sub claim")
        }
    }
}

/// `verify` for a caller that cannot suspend (libFuzzer calls the target synchronously). It
/// suspends only to fetch a JWKS, so an immediate task runs it to the end on this thread: the
/// task is allocated and freed within the run, and libFuzzer, which checks for leaks whenever
/// a run's mallocs and frees differ, does not scan the heap after every input.
func verifyBlocking(_ verifier: SessionTokenVerifier, _ token: String) -> Result<VerifiedSession, AuthError> {
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    let operation: @Sendable () async -> Void = {
        let result: Result<VerifiedSession, AuthError>
        do throws(AuthError) {
            result = .success(try await verifier.verify(token, now: now))
        } catch {
            result = .failure(error)
        }
        outcome.result.withLock { $0 = result }
        done.signal()
    }
    if #available(macOS 26, *) {
        Task.immediate(operation: operation)
    } else {
        Task(operation: operation)
    }
    done.wait()
    guard let result = outcome.result.withLock({ $0 }) else { propertyBroken("verify did not finish") }
    return result
}

final class Outcome: Sendable {
    let result = Mutex<Result<VerifiedSession, AuthError>?>(nil)
}

/// The verifiers are built with PEM keys only, so nothing may fetch.
struct NoNetwork: HTTPClient {
    func send(_ request: OutboundRequest) async throws -> OutboundResponse {
        propertyBroken("the verifier tried to fetch \(request.url)")
    }
}

@main
enum Main {
    static func main() {
        FuzzDriver.main(testOneInput)
    }
}
