import Foundation
import Testing
import TestSupport

@testable import CallBookingApp

/// `TLS_CERT_FILE` and `TLS_KEY_FILE`: both or neither, and files that load.
final class AppConfigTLSTests {
    private let certificates: TestCertificates

    init() throws {
        self.certificates = try TestCertificates()
    }

    deinit { self.certificates.remove() }

    private func error(_ settings: [String: String]) -> AppConfig.Error? {
        do {
            _ = try AppConfig(environment: AppConfigTests.minimal.merging(settings) { $1 })
            return nil
        } catch {
            return error
        }
    }

    @Test func unsetMeansCleartext() throws {
        #expect(try AppConfig(environment: AppConfigTests.minimal).tls == nil)
        #expect(try AppConfig(environment: AppConfigTests.minimal.merging(["TLS_CERT_FILE": "", "TLS_KEY_FILE": " "]) { $1 }).tls == nil)
    }

    @Test func bothSetToFilesThatLoadServeTLS() throws {
        let config = try AppConfig(environment: AppConfigTests.minimal.merging([
            "TLS_CERT_FILE": self.certificates.chain, "TLS_KEY_FILE": self.certificates.serverKey,
        ]) { $1 })
        #expect(config.tls?.certificateChain == self.certificates.chain)
        #expect(config.tls?.privateKey == self.certificates.serverKey)
    }

    @Test func oneWithoutTheOtherStopsTheStartNamingTheMissingOne() {
        let onlyCertificate = self.error(["TLS_CERT_FILE": self.certificates.chain])
        #expect(onlyCertificate?.variable == "TLS_KEY_FILE")
        #expect(onlyCertificate?.description == "TLS_KEY_FILE: must be set when TLS_CERT_FILE is (both, or neither for cleartext)")
        let onlyKey = self.error(["TLS_KEY_FILE": self.certificates.serverKey])
        #expect(onlyKey?.variable == "TLS_CERT_FILE")
    }

    @Test func anUnreadableOrInvalidFileStopsTheStartNamingItsSetting() throws {
        let missing = self.certificates.path("missing.pem")
        let noCertificate = self.error(["TLS_CERT_FILE": missing, "TLS_KEY_FILE": self.certificates.serverKey])
        #expect(noCertificate?.description == "TLS_CERT_FILE: cannot read \(missing): No such file or directory")
        let keyIsACertificate = self.error(["TLS_CERT_FILE": self.certificates.chain, "TLS_KEY_FILE": self.certificates.chain])
        #expect(keyIsACertificate?.variable == "TLS_KEY_FILE")
        try self.certificates.makeServerCertificate(named: "other", commonName: "localhost")
        let mismatch = self.error(["TLS_CERT_FILE": self.certificates.chain, "TLS_KEY_FILE": self.certificates.path("other.key")])
        #expect(mismatch?.variable == "TLS_KEY_FILE and TLS_CERT_FILE")
    }
}
