import OutboundHTTP
import Foundation
import Testing

@testable import TriggerDev

@Suite struct TriggerDevConfigurationTests {
    @Test func defaultsAreTheContractsAndNoKeyMeansDisabled() throws {
        let configuration = try TriggerDevConfiguration(environment: [:])
        #expect(configuration == TriggerDevConfiguration(
            apiKey: nil, baseURL: URL(string: "https://api.trigger.dev")!, reminderTask: "call-booking.reminder",
            followUpTask: "call-booking.follow-up"))
        #expect(!configuration.isEnabled)
        #expect(try TriggerDevConfiguration(environment: ["TRIGGER_DEV_API_KEY": "  "]).isEnabled == false)
    }

    @Test func readsEverySetting() throws {
        let configuration = try TriggerDevConfiguration(environment: [
            "TRIGGER_DEV_API_KEY": "tr_prod_abc",
            "TRIGGER_DEV_BASE_URL": "http://127.0.0.1:9911",
            "TRIGGER_REMINDER_TASK": "reminders-v2",
            "TRIGGER_FOLLOW_UP_TASK": "follow_up",
        ])
        #expect(configuration == TriggerDevConfiguration(
            apiKey: "tr_prod_abc", baseURL: URL(string: "http://127.0.0.1:9911")!, reminderTask: "reminders-v2",
            followUpTask: "follow_up"))
        #expect(configuration.isEnabled)
    }

    @Test(arguments: [
        ("TRIGGER_DEV_BASE_URL", "ftp://api.trigger.dev"),
        ("TRIGGER_DEV_BASE_URL", "https://api.trigger.dev?x=1"),
        ("TRIGGER_DEV_BASE_URL", "not a url"),
        ("TRIGGER_DEV_BASE_URL", "http://api.trigger.dev"),
        ("TRIGGER_REMINDER_TASK", "call/booking"),
        ("TRIGGER_FOLLOW_UP_TASK", "follow up"),
    ])
    func badValuesNameTheirVariableAndNeverTheKey(variable: String, value: String) {
        let secret = "tr_prod_SECRETSECRET"
        let error = #expect(throws: ProviderError.self) {
            try TriggerDevConfiguration(environment: ["TRIGGER_DEV_API_KEY": secret, variable: value])
        }
        #expect(error?.reason == .invalidConfiguration)
        #expect(error?.detail.hasPrefix(variable) == true)
        #expect(error.map { !String(describing: $0).contains(secret) } == true)
    }
}
