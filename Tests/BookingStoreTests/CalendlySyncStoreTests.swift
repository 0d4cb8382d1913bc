import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore

@Suite struct CalendlySyncStoreTests {
    static let userURI = "https://api.calendly.com/users/HOST1"

    static func linkedExpert(_ store: Store, timeZone: String = "Europe/Berlin") async throws -> ExpertID {
        let expert = Expert(
            id: ExpertID(UUID()), name: "Ada", email: "ada@example.com", timeZone: timeZone, calendlyUserURI: Self.userURI,
            weeklyHours: [WeeklyHours(day: .tuesday, start: LocalTime("08:00")!, end: LocalTime("12:00")!)],
            timeOff: [TimeSlot(start: .utc("2025-06-10T10:00:00Z"), end: .utc("2025-06-10T12:00:00Z"))])
        try await store.experts.insert(
            expert, scheduling: StoredScheduling(dateOverrides: [.closed("2025-06-20")]))
        return expert.id
    }

    static let synced = SyncedAvailability(
        timeZone: "America/New_York",
        weeklyHours: [WeeklyHours(day: .monday, start: LocalTime("09:00")!, end: LocalTime("17:00")!)],
        dateOverrides: [StoredDateOverride(date: "2025-06-24", startMinute: 600, endMinute: 660)],
        timeOff: [
            // Overlaps the manual time off: the two sources may.
            TimeSlot(start: .utc("2025-06-10T11:00:00Z"), end: .utc("2025-06-10T13:00:00Z")),
            TimeSlot(start: .utc("2025-06-11T09:00:00Z"), end: .utc("2025-06-11T10:00:00Z")),
        ])

    static func timeOffRows(_ store: Store, _ id: ExpertID) async throws -> [String] {
        try await store.pool.withConnection { connection in
            try connection.execute(
                """
                SELECT source || ' ' || to_char(lower(period) AT TIME ZONE 'UTC', 'MM-DD HH24:MI') AS row
                FROM calls.expert_time_off WHERE expert_id = $1::uuid ORDER BY lower(period), source
                """, [id.uuidString]
            ).rows.map { try $0.string("row") ?? "" }
        }
    }

    @Test func syncReplacesHoursOverridesZoneAndSyncedTimeOffButKeepsManualTimeOff() async throws {
        try await Store.withFresh { store in
            let id = try await Self.linkedExpert(store)
            let stored = try #require(try await store.experts.replaceCalendlyAvailability(id, linkedTo: Self.userURI, with: Self.synced))
            #expect(stored.timeZone == "America/New_York")
            #expect(stored.weeklyHours == Self.synced.weeklyHours)
            #expect(try await store.experts.scheduling(of: [id])[id]?.dateOverrides == Self.synced.dateOverrides)
            #expect(try await Self.timeOffRows(store, id) == ["manual 06-10 10:00", "calendly 06-10 11:00", "calendly 06-11 09:00"])

            // A second sync replaces the synced rows only.
            var next = Self.synced
            next.timeOff = [TimeSlot(start: .utc("2025-06-12T09:00:00Z"), end: .utc("2025-06-12T10:00:00Z"))]
            _ = try await store.experts.replaceCalendlyAvailability(id, linkedTo: Self.userURI, with: next)
            #expect(try await Self.timeOffRows(store, id) == ["manual 06-10 10:00", "calendly 06-12 09:00"])

            // And a manual edit replaces the manual rows only.
            _ = try await store.experts.replaceAvailability(id, weeklyHours: [], timeOff: [])
            #expect(try await Self.timeOffRows(store, id) == ["calendly 06-12 09:00"])
        }
    }

    @Test func syncedRowsReadAsCalendarBusyAndSurviveAWriteBackOfTheTimeOff() async throws {
        try await Store.withFresh { store in
            let id = try await Self.linkedExpert(store)
            let read = try #require(try await store.experts.replaceCalendlyAvailability(id, linkedTo: Self.userURI, with: Self.synced))
            #expect(read.timeOff == [TimeSlot(start: .utc("2025-06-10T10:00:00Z"), end: .utc("2025-06-10T12:00:00Z"))])
            #expect(read.calendarBusy == Self.synced.timeOff)

            // Writing back what was read leaves the synced rows the sync's…
            let written = try #require(try await store.experts.replaceAvailability(id, weeklyHours: read.weeklyHours, timeOff: read.timeOff))
            #expect(written.timeOff == read.timeOff && written.calendarBusy == read.calendarBusy)
            #expect(try await Self.timeOffRows(store, id) == ["manual 06-10 10:00", "calendly 06-10 11:00", "calendly 06-11 09:00"])

            // …so a round that finds no busy times removes them all.
            var idle = Self.synced
            idle.timeOff = []
            let after = try #require(try await store.experts.replaceCalendlyAvailability(id, linkedTo: Self.userURI, with: idle))
            #expect(after.calendarBusy.isEmpty && after.timeOff == read.timeOff)
            #expect(try await Self.timeOffRows(store, id) == ["manual 06-10 10:00"])
        }
    }

    @Test func anExpertRelinkedWhileSyncingIsLeftAlone() async throws {
        try await Store.withFresh { store in
            let id = try await Self.linkedExpert(store)
            #expect(try await store.experts.replaceCalendlyAvailability(
                id, linkedTo: "https://api.calendly.com/users/SOMEONE_ELSE", with: Self.synced) == nil)
            #expect(try await store.experts.replaceCalendlyAvailability(ExpertID(UUID()), linkedTo: Self.userURI, with: Self.synced) == nil)
            let expert = try #require(try await store.experts.find(id))
            #expect(expert.timeZone == "Europe/Berlin")
            #expect(expert.weeklyHours.map(\.day) == [.tuesday])
        }
    }

    @Test func aFailedReplacementLeavesThePreviousAvailabilityWhole() async throws {
        try await Store.withFresh { store in
            let id = try await Self.linkedExpert(store)
            _ = try await store.experts.replaceCalendlyAvailability(id, linkedTo: Self.userURI, with: Self.synced)
            var broken = Self.synced
            broken.timeZone = "UTC"
            broken.weeklyHours = [WeeklyHours(day: .friday, start: LocalTime("09:00")!, end: LocalTime("10:00")!)]
            // Overlapping synced rows break the exclusion constraint after hours and zone were written.
            broken.timeOff = [
                TimeSlot(start: .utc("2025-06-12T09:00:00Z"), end: .utc("2025-06-12T11:00:00Z")),
                TimeSlot(start: .utc("2025-06-12T10:00:00Z"), end: .utc("2025-06-12T12:00:00Z")),
            ]
            await expectStoreError(.exclusionViolation) {
                try await store.experts.replaceCalendlyAvailability(id, linkedTo: Self.userURI, with: broken)
            }
            let expert = try #require(try await store.experts.find(id))
            #expect(expert.timeZone == "America/New_York")
            #expect(expert.weeklyHours == Self.synced.weeklyHours)
            #expect(try await Self.timeOffRows(store, id) == ["manual 06-10 10:00", "calendly 06-10 11:00", "calendly 06-11 09:00"])
        }
    }

    @Test func linkedExpertsAreThoseWithACalendlyUserURI() async throws {
        try await Store.withFresh { store in
            let linked = try await Self.linkedExpert(store)
            try await store.experts.insert(
                Expert(id: ExpertID(UUID()), name: "Bo", email: "bo@example.com", timeZone: "UTC"))
            let found = try await store.experts.calendlyLinked()
            #expect(found.map(\.expert.id) == [linked])
            #expect(found.first?.expert.calendlyUserURI == Self.userURI)
        }
    }

    @Test func ourCallsCalendlyEventsAreFoundAmongBusyTimes() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let ours = "https://api.calendly.com/scheduled_events/OURS"
            let call = Call(
                id: CallID(UUID()), expertID: expert, customer: Customer(userID: "user_1"), topic: "taxes",
                scheduledStart: .utc("2030-01-07T09:00:00Z"), scheduledEnd: .utc("2030-01-07T09:30:00Z"),
                calendlyEventURI: ours, calendlyInviteeURI: "https://api.calendly.com/scheduled_events/OURS/invitees/I1",
                createdAt: .utc("2029-12-01T00:00:00Z"), updatedAt: .utc("2029-12-01T00:00:00Z"))
            _ = try await store.calls.insert(store.calls.lifecycle.book(call), requestID: nil, specialty: "tax", actor: "test")
            #expect(try await store.calls.calendlyEventURIs(among: [ours, "https://api.calendly.com/scheduled_events/THEIRS"]) == [ours])
            #expect(try await store.calls.calendlyEventURIs(among: []) == [])
        }
    }
}
