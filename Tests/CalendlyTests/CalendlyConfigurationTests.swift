import Foundation
import Testing

@testable import Calendly

@Suite struct CalendlyConfigurationTests {
    static let minimal = ["CALENDLY_API_KEY": "pat-1", "CALENDLY_WEBHOOK_SECRET": "whsec-1"]

    @Test func appliesTheContractDefaults() throws {
        let configuration = try CalendlyConfiguration(environment: Self.minimal)
        #expect(configuration == CalendlyConfiguration(apiKey: "pat-1", webhookSecret: "whsec-1"))
        #expect(configuration.baseURL.absoluteString == "https://api.calendly.com")
        #expect(configuration.signatureTolerance == .seconds(180))
        #expect(configuration.syncInterval == .seconds(900))
        #expect(configuration.topicQuestion == nil)
    }

    @Test func readsEverySetting() throws {
        let configuration = try CalendlyConfiguration(environment: Self.minimal.merging([
            "CALENDLY_BASE_URL": "http://127.0.0.1:9099/calendly",
            "CALENDLY_SIGNATURE_TOLERANCE_SECONDS": "300",
            "CALENDLY_TOPIC_QUESTION": "What would you like to discuss?",
            "CALENDLY_SYNC_INTERVAL_SECONDS": "60",
        ]) { $1 })
        #expect(configuration.baseURL.absoluteString == "http://127.0.0.1:9099/calendly")
        #expect(configuration.signatureTolerance == .seconds(300))
        #expect(configuration.topicQuestion == "What would you like to discuss?")
        #expect(configuration.syncInterval == .seconds(60))
    }

    @Test func namesTheMissingOrBadVariableWithoutItsValue() {
        for (environment, variable) in [
            (["CALENDLY_WEBHOOK_SECRET": "whsec-1"], "CALENDLY_API_KEY"),
            (["CALENDLY_API_KEY": "pat-1", "CALENDLY_WEBHOOK_SECRET": "  "], "CALENDLY_WEBHOOK_SECRET"),
            (Self.minimal.merging(["CALENDLY_SIGNATURE_TOLERANCE_SECONDS": "3m"]) { $1 }, "CALENDLY_SIGNATURE_TOLERANCE_SECONDS"),
            (Self.minimal.merging(["CALENDLY_SIGNATURE_TOLERANCE_SECONDS": "0"]) { $1 }, "CALENDLY_SIGNATURE_TOLERANCE_SECONDS"),
            (Self.minimal.merging(["CALENDLY_SYNC_INTERVAL_SECONDS": "-1"]) { $1 }, "CALENDLY_SYNC_INTERVAL_SECONDS"),
            (Self.minimal.merging(["CALENDLY_BASE_URL": "ftp://x"]) { $1 }, "CALENDLY_BASE_URL"),
        ] {
            do {
                let configuration = try CalendlyConfiguration(environment: environment)
                Issue.record("accepted \(configuration)")
            } catch {
                #expect(error.reason == .invalidConfiguration)
                #expect(error.detail.contains(variable), "\(error)")
                #expect(!error.detail.contains("pat-1") && !error.detail.contains("whsec-1"))
            }
        }
    }
}
