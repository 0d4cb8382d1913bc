import OutboundHTTP
import Crypto
import Foundation
import Testing
import TestSupport

@testable import Calendly

@Suite struct SignatureVerifierTests {
    static let secret = "whsec-test-0123456789abcdef"
    /// 2024-06-10T14:20:00Z, providers.md §1.2's `t`.
    static let t: Int64 = 1_718_029_200
    static let now = Date(timeIntervalSince1970: TimeInterval(t))
    static let body = Array(#"{"event":"invitee.created","payload":{"uri":"x"}}"#.utf8)

    let verifier: CalendlySignatureVerifier
    init() throws { self.verifier = try CalendlySignatureVerifier(signingKey: Self.secret) }

    static func sign(_ body: [UInt8], t: Int64 = t, secret: String = secret) -> String {
        hexString(HMACSHA256.authenticate(key: Array(secret.utf8), message: Array("\(t).".utf8) + body))
    }


    func expectRejection(
        _ header: String?, body: [UInt8] = body, at now: Date = now, _ reason: ProviderError.Reason,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            try self.verifier.verify(header: header, body: body, now: now)
            Issue.record("accepted \(header ?? "nil")", sourceLocation: sourceLocation)
        } catch {
            #expect(error.reason == reason, "\(error)", sourceLocation: sourceLocation)
            #expect(!error.description.contains(Self.secret), sourceLocation: sourceLocation)
        }
    }

    @Test func acceptsAValidSignature() throws {
        let signedAt = try self.verifier.verify(
            header: "t=\(Self.t),v1=\(Self.sign(Self.body))", body: Self.body, now: Self.now)
        #expect(signedAt == Self.now)
    }

    @Test func acceptsReorderedSpacedAndExtendedHeaders() throws {
        let mac = Self.sign(Self.body)
        for header in [
            "v1=\(mac),t=\(Self.t)",
            " t = \(Self.t) ,  v1=\(mac) ",
            "t=\(Self.t),v0=abc,v1=\(mac),future=1",
            "t=\(Self.t),v1=\(mac.uppercased())",
        ] {
            try self.verifier.verify(header: header, body: Self.body, now: Self.now)
        }
    }

    @Test func acceptsWhenAnyOfSeveralV1Matches() throws {
        let wrong = Self.sign(Self.body, secret: "old-key")
        try self.verifier.verify(
            header: "t=\(Self.t),v1=\(wrong),v1=\(Self.sign(Self.body))", body: Self.body, now: Self.now)
        try self.verifier.verify(
            header: "t=\(Self.t),v1=nothex,v1=\(Self.sign(Self.body))", body: Self.body, now: Self.now)
    }

    @Test func acceptsAtExactlyTheTolerance() throws {
        let header = "t=\(Self.t),v1=\(Self.sign(Self.body))"
        try self.verifier.verify(header: header, body: Self.body, now: Self.now + 180)
        try self.verifier.verify(header: header, body: Self.body, now: Self.now - 180)
    }

    @Test func rejectsAMissingOrEmptyHeader() {
        expectRejection(nil, .missingSignature)
        expectRejection("", .missingSignature)
        expectRejection("   ", .missingSignature)
    }

    @Test func rejectsMalformedHeaders() {
        let mac = Self.sign(Self.body)
        for header in [
            "garbage", "v1=\(mac)", "t=,v1=\(mac)", "t=abc,v1=\(mac)", "t=-5,v1=\(mac)",
            "t=99999999999999999999,v1=\(mac)", "t=\(Self.t)", "t=\(Self.t),v1=",
            "t=\(Self.t),v1=zz\(mac.dropFirst(2))", "t=\(Self.t),v1=\(mac.dropLast())",
            "t=\(Self.t),t=\(Self.t),v1=\(mac)",
        ] {
            expectRejection(header, .malformedSignature)
        }
    }

    @Test func rejectsATimestampOlderThanTheTolerance() {
        expectRejection("t=\(Self.t),v1=\(Self.sign(Self.body))", at: Self.now + 181, .staleSignature)
    }

    @Test func rejectsATimestampFurtherInTheFutureThanTheTolerance() {
        expectRejection("t=\(Self.t),v1=\(Self.sign(Self.body))", at: Self.now - 181, .staleSignature)
    }

    @Test func honoursAConfiguredTolerance() throws {
        let strict = try CalendlySignatureVerifier(signingKey: Self.secret, tolerance: .seconds(10))
        let header = "t=\(Self.t),v1=\(Self.sign(Self.body))"
        try strict.verify(header: header, body: Self.body, now: Self.now + 10)
        #expect(throws: ProviderError.self) { try strict.verify(header: header, body: Self.body, now: Self.now + 11) }
    }

    @Test func rejectsASignatureMadeWithAnotherKey() {
        expectRejection("t=\(Self.t),v1=\(Self.sign(Self.body, secret: "not-the-key"))", .signatureMismatch)
    }

    @Test func rejectsATamperedBody() {
        var tampered = Self.body
        tampered[tampered.count - 3] = UInt8(ascii: "y")
        expectRejection("t=\(Self.t),v1=\(Self.sign(Self.body))", body: tampered, .signatureMismatch)
        // Whitespace added by a re-serialiser counts as tampering too.
        expectRejection("t=\(Self.t),v1=\(Self.sign(Self.body))", body: Self.body + [0x0A], .signatureMismatch)
    }

    @Test func rejectsATimestampThatDiffersFromTheSignedOne() {
        expectRejection("t=\(Self.t + 1),v1=\(Self.sign(Self.body))", .signatureMismatch)
    }

    @Test func refusesAnEmptySigningKey() {
        #expect(throws: ProviderError.self) { try CalendlySignatureVerifier(signingKey: "") }
    }
}
