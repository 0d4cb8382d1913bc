import Foundation
import Testing
import TestSupport

@testable import TLS

final class TLSContextTests {
    private let certificates: TestCertificates

    init() throws {
        self.certificates = try TestCertificates()
    }

    deinit { self.certificates.remove() }

    private func loadError(certificate: String? = nil, key: String? = nil) -> TLSContextError? {
        let files = TLSFiles(
            certificateChain: certificate ?? self.certificates.chain, privateKey: key ?? self.certificates.serverKey)
        do {
            _ = try TLSContext(files: files)
            return nil
        } catch {
            return error
        }
    }

    @Test func aChainAndItsKeyLoad() {
        #expect(self.loadError() == nil)
    }

    @Test func aMissingFileIsNamedWithTheSystemsReason() throws {
        let missing = self.certificates.path("missing.pem")
        let error = try #require(self.loadError(certificate: missing))
        #expect(error.culprit == .certificateChain)
        #expect(error.message == "cannot read \(missing): No such file or directory")
        #expect(self.loadError(key: missing)?.culprit == .privateKey)
    }

    @Test func aCertificateFileThatIsNotPEMIsRefused() throws {
        try self.certificates.write(Data("not a certificate".utf8), to: "garbage.pem")
        let error = try #require(self.loadError(certificate: self.certificates.path("garbage.pem")))
        #expect(error.culprit == .certificateChain)
        #expect(error.message.contains("is not a PEM certificate chain"))
    }

    @Test func aKeyFileThatIsNotAPrivateKeyIsRefused() throws {
        let error = try #require(self.loadError(key: self.certificates.chain))
        #expect(error.culprit == .privateKey)
        #expect(error.message.contains("is not an unencrypted PEM private key"))
    }

    @Test func anotherCertificatesKeyIsAMismatch() throws {
        try self.certificates.makeServerCertificate(named: "other", commonName: "localhost")
        let error = try #require(self.loadError(key: self.certificates.path("other.key")))
        #expect(error.culprit == .mismatch)
    }

    @Test func aReloadServesTheNewCertificateToNewConnectionsWhileAnOpenOneContinues() throws {
        let reloadable = try ReloadableTLSContext(files: self.certificates.files)
        let before = try TLSConnectionUnderTest(
            context: reloadable.current, client: TestTLSClient(trusting: self.certificates.rootCA, alpn: ["h2"]))
        try before.pump()
        #expect(before.client.serverCommonName == "localhost")

        try self.certificates.makeServerCertificate(named: "renewed", commonName: "renewed.localhost")
        try self.certificates.concatenate(["renewed.pem", "intermediate.pem"], into: "chain.pem")
        try self.certificates.concatenate(["renewed.key"], into: "server.key")
        try reloadable.reload()

        let after = try TLSConnectionUnderTest(
            context: reloadable.current, client: TestTLSClient(trusting: self.certificates.rootCA, alpn: ["h2"]))
        try after.pump()
        #expect(after.client.serverCommonName == "renewed.localhost")
        #expect(after.client.verified)

        before.client.write("still here")
        try before.pump()
        #expect(before.recorder.received == "still here")
        #expect(before.channel.isActive)
    }

    @Test func aReloadThatFailsKeepsTheCurrentContext() throws {
        let reloadable = try ReloadableTLSContext(files: self.certificates.files)
        let current = reloadable.current
        try self.certificates.write(Data("truncated".utf8), to: "chain.pem")
        #expect(throws: TLSContextError.self) { try reloadable.reload() }
        #expect(reloadable.current === current)
    }
}
