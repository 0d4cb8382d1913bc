import Foundation
import Testing

@testable import TriggerDev

@Suite struct TriggerDevConfigurationTests {
    @Test func defaultsAreTheContractsAndNoKeyMeansDisabled() throws {
        let configuration = try TriggerDevConfiguration(environment: [:])
        #expect(configuration == TriggerDevConfiguration(
            apiKey: nil, baseURL: URL(string: "https://api.trigger.dev")!, reminderTask: "call-booking.reminder",
            followUpTask: "call-booking.follow-up", reminderOffsetsMinutes: [1440, 15], noShowGrace: .seconds(600)))
        #expect(!configuration.isEnabled)
        #expect(try TriggerDevConfiguration(environment: ["TRIGGER_DEV_API_KEY": "  "]).isEnabled == false)
    }

    @Test func readsEverySetting() throws {
        let configuration = try TriggerDevConfiguration(environment: [
            "TRIGGER_DEV_API_KEY": "tr_prod_abc",
            "TRIGGER_DEV_BASE_URL": "http://127.0.0.1:9911",
            "TRIGGER_REMINDER_TASK": "reminders-v2",
            "TRIGGER_FOLLOW_UP_TASK": "follow_up",
            "REMINDER_OFFSETS_MINUTES": " 60 , 2880,5 ",
            "NO_SHOW_GRACE_SECONDS": "0",
        ])
        #expect(configuration == TriggerDevConfiguration(
            apiKey: "tr_prod_abc", baseURL: URL(string: "http://127.0.0.1:9911")!, reminderTask: "reminders-v2",
            followUpTask: "follow_up", reminderOffsetsMinutes: [2880, 60, 5], noShowGrace: .zero))
        #expect(configuration.isEnabled)
    }

    @Test(arguments: ["1440,15", "15,1440", " 1440 ,15 "])
    func offsetsParseLargestFirst(text: String) throws {
        #expect(try TriggerDevConfiguration.parseReminderOffsets(text) == [1440, 15])
    }

    @Test(arguments: ["1440,abc", "0", "-15", "15,15", "1440,,15", "1440;15", "43201", "1.5", "15,"])
    func badOffsetsAreAConfigurationErrorNamingTheVariable(text: String) {
        let error = #expect(throws: TriggerDevError.self) {
            try TriggerDevConfiguration(environment: ["REMINDER_OFFSETS_MINUTES": text])
        }
        #expect(error?.reason == .invalidConfiguration)
        #expect(error?.detail.hasPrefix("REMINDER_OFFSETS_MINUTES") == true)
    }

    @Test(arguments: [
        ("TRIGGER_DEV_BASE_URL", "ftp://api.trigger.dev"),
        ("TRIGGER_DEV_BASE_URL", "https://api.trigger.dev?x=1"),
        ("TRIGGER_DEV_BASE_URL", "not a url"),
        ("TRIGGER_REMINDER_TASK", "call/booking"),
        ("TRIGGER_FOLLOW_UP_TASK", "follow up"),
        ("NO_SHOW_GRACE_SECONDS", "-1"),
        ("NO_SHOW_GRACE_SECONDS", "86401"),
        ("NO_SHOW_GRACE_SECONDS", "ten"),
    ])
    func badValuesNameTheirVariableAndNeverTheKey(variable: String, value: String) {
        let secret = "tr_prod_SECRETSECRET"
        let error = #expect(throws: TriggerDevError.self) {
            try TriggerDevConfiguration(environment: ["TRIGGER_DEV_API_KEY": secret, variable: value])
        }
        #expect(error?.reason == .invalidConfiguration)
        #expect(error?.detail.hasPrefix(variable) == true)
        #expect(error.map { !String(describing: $0).contains(secret) } == true)
    }
}
