import Foundation
import Testing

@testable import BookingDomain

@Suite struct IdentifierTests {
    @Test func callIDsParseCanonicalUUIDTextInEitherCase() throws {
        let lower = try CallID(validating: "3f2504e0-4f89-41d3-9a0c-0305e82c3301")
        let upper = try CallID(validating: "3F2504E0-4F89-41D3-9A0C-0305E82C3301")
        #expect(lower == upper)
        #expect(lower.uuidString == "3f2504e0-4f89-41d3-9a0c-0305e82c3301")
    }

    @Test(arguments: ["", "upcoming", "3f2504e04f8941d39a0c0305e82c3301", "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}",
                      "3f2504e0-4f89-41d3-9a0c-0305e82c330g", "3f2504e0-4f89-41d3-9a0c-0305e82c33011"])
    func malformedIDsAreInvalidArguments(_ text: String) {
        #expect(throws: BookingError.self) { try CallID(validating: text) }
        #expect(throws: BookingError.self) { try ExpertID(validating: text) }
    }

    /// Ids are read and printed by `UUIDText`, not Foundation: the same text as Foundation's, in
    /// lower case, and back, for any UUID.
    @Test func idTextIsFoundationsInLowerCaseAndParsesBack() throws {
        for _ in 0..<2_000 {
            let uuid = UUID()
            let id = CallID(uuid)
            #expect(id.uuidString == uuid.uuidString.lowercased())
            #expect(try CallID(validating: uuid.uuidString) == id)
            #expect(try CallID(validating: id.uuidString) == id)
        }
        #expect(CallID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))).uuidString
            == "00000000-0000-0000-0000-000000000000")
        #expect(CallID(UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)))
            .uuidString == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }

    @Test(arguments: ["3f2504e0-4f89-41d3-9a0c-0305e82c33é", "3f2504e0x4f89-41d3-9a0c-0305e82c3301",
                      "3f2504e0-4f89-41d3-9a0c-0305e82c330 ", "3f2504e0-4f89-41d3-9a0c-0305e82c33-1",
                      "-3f2504e04f89-41d3-9a0c-0305e82c3301", "3f2504e0-4f89-41d3-9a0c-0305e82c330\u{0}"])
    func idTextWithAWrongByteAnywhereIsRefused(_ text: String) {
        #expect(throws: BookingError.self) { try CallID(validating: text) }
    }

    @Test func anInvalidIDNamesItsFieldAndCutsLongInput() {
        let long = String(repeating: "x", count: 10_000)
        #expect(throws: BookingError.invalidArgument(
            "call_id must be a UUID, got \"\(String(repeating: "x", count: 64))…\"")) {
            try CallID(validating: long, field: "call_id")
        }
    }

    @Test func expertIDsOrderAsPostgreSQLOrdersUUIDs() {
        #expect(ExpertID.number(1) < ExpertID.number(2))
        #expect(ExpertID.number(9) < ExpertID.number(10))
    }

    @Test func localTimesParseAndFormatHoursAndMinutes() {
        #expect(LocalTime("09:30")?.minutes == 570)
        #expect(LocalTime("00:00") == .midnight)
        #expect(LocalTime("24:00") == .endOfDay)
        #expect(LocalTime("23:59")?.description == "23:59")
        #expect(LocalTime(minutes: 5)?.description == "00:05")
    }

    @Test(arguments: ["", "9:30", "09:3", "24:01", "25:00", "12:60", "12-30", "09:30:00", "ab:cd", "+9:30", "０９:３０"])
    func malformedLocalTimesAreRefused(_ text: String) {
        #expect(LocalTime(text) == nil)
        #expect(throws: BookingError.self) { try LocalTime(validating: text, field: "start_time") }
    }

    @Test func localDatesKnowTheirWeekday() {
        #expect(LocalDate("2025-03-30")?.weekday == .sunday)
        #expect(LocalDate("2025-11-03")?.weekday == .monday)
        #expect(LocalDate("1970-01-01")?.weekday == .thursday)
        #expect(LocalDate("2024-02-29")?.adding(days: 1).description == "2024-03-01")
    }

    @Test func localDatesRoundTripThroughDaysSinceEpoch() {
        for days in stride(from: -719_162, through: 2_932_896, by: 997) {   // 0001-01-01 ... 9999-12-31
            let date = LocalDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
            #expect(LocalDate(date.description) == date)
        }
    }

    @Test(arguments: ["2025-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "20250101", "2025-01-32"])
    func impossibleDatesAreRefused(_ text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test func weekdaysFollowTheContractNumbering() {
        #expect(Weekday(isoNumber: 1) == .monday)
        #expect(Weekday(isoNumber: 7) == .sunday)
        #expect(Weekday(isoNumber: 0) == nil)
        #expect(Weekday(isoNumber: 8) == nil)
    }
}
