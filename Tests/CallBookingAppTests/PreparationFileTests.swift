import BookingDomain
import Foundation
import Testing

@testable import CallBookingApp

/// `PREPARATION_FILE`: read once at start; anything but an object of non-empty texts stops it.
@Suite struct PreparationFileTests {
    func withFile<T>(_ contents: String, _ body: (String) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("preparation-\(UUID().uuidString).json").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    func refusal(_ contents: String?) throws -> AppConfig.Error? {
        func load(_ path: String) -> AppConfig.Error? {
            do {
                _ = try AppConfig(environment: AppConfigTests.minimal.merging(["PREPARATION_FILE": path]) { $1 })
                return nil
            } catch {
                return error
            }
        }
        guard let contents else { return load("/nonexistent/preparation.json") }
        return try self.withFile(contents, load)
    }

    @Test func unsetMeansTheBuiltInTexts() throws {
        let config = try AppConfig(environment: AppConfigTests.minimal.merging(["PREPARATION_FILE": ""]) { $1 })
        #expect(config.product.preparation == .builtIn)
    }

    @Test func theFileReplacesTheBuiltInDefaults() throws {
        let config = try self.withFile(#"{"Sleep": "Bring your sleep diary.", "tax": "Bring last year's return."}"#) { path in
            try AppConfig(environment: AppConfigTests.minimal.merging(["PREPARATION_FILE": path]) { $1 })
        }
        let guide = config.product.preparation
        #expect(guide.defaultText(for: "sleep") == "Bring your sleep diary.")
        #expect(guide.defaultText(for: "Tax") == "Bring last year's return.")
        #expect(guide.defaultText(for: "nutrition") == nil)
    }

    @Test(arguments: [
        (nil, "cannot read"),
        ("", "not a JSON object"),
        ("[\"sleep\"]", "not a JSON object"),
        (#"{"sleep": 42}"#, #"the value of "sleep""#),
        (#"{"sleep": {"text": "a"}}"#, #"the value of "sleep""#),
        (#"{"sleep": null}"#, #"the value of "sleep""#),
        (#"{"sleep": "  "}"#, "empty"),
        (#"{"": "a"}"#, "empty specialty"),
        (#"{"sleep": "a", " SLEEP": "b"}"#, "twice"),
        ("{\"sleep\": \"\(String(repeating: "x", count: PreparationGuide.maximumLength + 1))\"}", "longer than"),
    ] as [(String?, String)])
    func aBadFileStopsTheStartNamingTheVariable(contents: String?, problem: String) throws {
        let error = try #require(try self.refusal(contents))
        #expect(error.variable == "PREPARATION_FILE")
        #expect(error.problem.contains(problem), "\(error.problem)")
    }

    @Test func aFileLargerThanTheLimitIsRefusedUnread() throws {
        let huge = "{\"sleep\": \"" + String(repeating: "x", count: ProductSettings.maximumPreparationFileBytes) + "\"}"
        let error = try #require(try self.refusal(huge))
        #expect(error.problem.contains("larger than"))
    }
}
