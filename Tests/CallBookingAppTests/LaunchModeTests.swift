import CallBookingApp
import Testing

@Suite struct LaunchModeTests {
    @Test func noArgumentsServes() throws {
        #expect(try LaunchMode(arguments: []) == .serve)
    }

    @Test func migrateAppliesMigrationsAndExits() throws {
        #expect(try LaunchMode(arguments: ["migrate"]) == .migrate)
    }

    @Test func anythingElseIsRefusedWithTheUsage() {
        for arguments in [["migrat"], ["migrate", "now"], ["--migrate"], ["serve"]] {
            let error = #expect(throws: LaunchMode.Error.self) { try LaunchMode(arguments: arguments) }
            #expect(error?.description.contains("\"\(arguments.last ?? "")\"") == true)
            #expect(error?.description.contains("call-booking migrate") == true)
        }
    }
}
