import Testing

@testable import CallBookingApp

@Suite struct AppConfigTests {
    static let minimal = ["DATABASE_URL": "postgresql://localhost/callbooking"]

    @Test func aMissingDatabaseURLIsAnErrorNamingIt() {
        do {
            _ = try AppConfig(environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.variable == "DATABASE_URL")
        }
    }

    @Test func defaultsFollowTheContract() throws {
        let config = try AppConfig(environment: Self.minimal)
        #expect(config.port == 3003)
        #expect(config.shutdownGrace == .seconds(5))
    }

    @Test func aMalformedValueNamesItsVariable() {
        #expect(throws: AppConfig.Error.self) { try AppConfig(environment: Self.minimal.merging(["PORT": "eighty"]) { $1 }) }
        do {
            _ = try AppConfig(environment: Self.minimal.merging(["SHUTDOWN_GRACE_SECONDS": "-1"]) { $1 })
            Issue.record("expected an error")
        } catch {
            #expect(error.variable == "SHUTDOWN_GRACE_SECONDS")
        }
    }
}
