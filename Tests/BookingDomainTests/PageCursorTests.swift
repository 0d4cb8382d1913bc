import Foundation
import Testing
import TestSupport

@testable import BookingDomain

@Suite struct PageCursorTests {
    @Test func aCursorRoundTripsThroughItsToken() throws {
        let cursor = PageCursor(scheduledStart: .utc("2025-03-30T01:45:00Z").addingTimeInterval(0.123456), id: .number(7))
        let decoded = try PageCursor(token: cursor.token)
        #expect(decoded.id == .number(7))
        #expect(decoded.microseconds == cursor.microseconds)
        #expect(decoded.microseconds == 1_743_299_100_123_456)
        #expect(decoded.token == cursor.token)
    }

    @Test func theTokenIsURLSafeAndUnpadded() {
        for n in 0..<50 {
            let token = PageCursor(scheduledStart: Date(timeIntervalSince1970: Double(n) * 7_777.5), id: .number(n)).token
            #expect(!token.contains(where: { "+/=".contains($0) }))
        }
    }

    @Test func theTokenCarriesAVersion() throws {
        let token = PageCursor(scheduledStart: Date(timeIntervalSince1970: 1), id: .number(1)).token
        let padded = token + String(repeating: "=", count: (4 - token.count % 4) % 4)
        let data = try #require(Data(base64Encoded: padded.replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")))
        #expect(String(decoding: data, as: UTF8.self) == "v1|1000000|10000000-0000-4000-8000-000000000001")
    }

    static let garbage: [String] = [
        "", "abc", "!!!!", "djF8MXwy",                          // "v1|1|2": not a UUID
        Self.encode("v2|1000000|10000000-0000-4000-8000-000000000001"),
        Self.encode("v1|soon|10000000-0000-4000-8000-000000000001"),
        Self.encode("v1|1000000|10000000-0000-4000-8000-000000000001|extra"),
        Self.encode("v1|99999999999999999999999|10000000-0000-4000-8000-000000000001"),
        String(repeating: "A", count: 10_000),
        Self.encode("v1|1|x") + "=",
    ]

    @Test(arguments: garbage)
    func garbageTokensAreInvalidArguments(_ token: String) {
        #expect(throws: BookingError.invalidArgument("page_token is not a token this service issued")) {
            try PageCursor(token: token)
        }
    }

    @Test func pageSizesDefaultAndCap() throws {
        #expect(try PageSize.normalized(0) == PageSize.default)
        #expect(try PageSize.normalized(7) == 7)
        #expect(try PageSize.normalized(10_000) == PageSize.maximum)
        #expect(throws: BookingError.invalidArgument("page_size must not be negative")) { try PageSize.normalized(-1) }
    }

    static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
