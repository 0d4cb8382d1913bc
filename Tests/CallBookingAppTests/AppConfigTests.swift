import Testing

@testable import CallBookingApp

@Suite struct AppConfigTests {
    @Test func defaultsFollowTheContract() throws {
        let config = try AppConfig(environment: [:])
        #expect(config.port == 3003)
        #expect(config.shutdownGrace == .seconds(5))
    }

    @Test func aMalformedValueNamesItsVariable() {
        #expect(throws: AppConfig.Error.self) { try AppConfig(environment: ["PORT": "eighty"]) }
        do {
            _ = try AppConfig(environment: ["SHUTDOWN_GRACE_SECONDS": "-1"])
            Issue.record("expected an error")
        } catch {
            #expect(error.variable == "SHUTDOWN_GRACE_SECONDS")
        }
    }
}
