import OutboundHTTP
import Foundation
import Synchronization
import Testing
import TestSupport

@testable import Calendly

/// An in-process Calendly: records every GET and answers from `respond`.
@Suite struct CalendlyClientTests {
    static let key = "pat-test-key"
    static let host = "https://api.calendly.com/users/HOSTUSER0001"
    static let encodedHost = "https%3A%2F%2Fapi.calendly.com%2Fusers%2FHOSTUSER0001"
    static let headers = ["Authorization": "Bearer pat-test-key", "Accept": "application/json"]
    static func utc(_ text: String) -> Date { CalendlyTimestamp.parse(text)! }

    static let eventBody = """
        { "resource": \(WebhookFixtures.scheduledEvent(
            "EVT1", status: "active", start: "2025-06-17T09:00:00.000000Z", end: "2025-06-17T09:30:00.000000Z")) }
        """

    static let schedulesBody = """
        { "collection": [
          { "uri": "https://api.calendly.com/user_availability_schedules/SCHED0001",
            "default": true, "name": "Working hours",
            "user": "https://api.calendly.com/users/HOSTUSER0001",
            "timezone": "America/New_York",
            "rules": [
              { "type": "wday", "wday": "monday", "intervals": [ { "from": "09:00", "to": "12:00" },
                                                               { "from": "13:00", "to": "17:00" } ] },
              { "type": "wday", "wday": "saturday", "intervals": [] },
              { "type": "date", "date": "2025-12-24", "intervals": [] } ] } ] }
        """

    static func busyBody(_ items: [String]) -> String { #"{ "collection": [\#(items.joined(separator: ","))] }"# }
    static let calendlyBusy = """
        { "type": "calendly", "start_time": "2025-06-17T09:00:00.000000Z", "end_time": "2025-06-17T09:30:00.000000Z",
          "buffered_start_time": "2025-06-17T08:45:00.000000Z", "buffered_end_time": "2025-06-17T09:45:00.000000Z",
          "event": { "uri": "https://api.calendly.com/scheduled_events/EVT1" } }
        """
    static let externalBusy = """
        { "type": "external", "start_time": "2025-06-18T12:00:00Z", "end_time": "2025-06-18T13:00:00Z" }
        """

    func client(_ fake: RecordingHTTPClient, base: String = "https://api.calendly.com") -> CalendlyClient {
        CalendlyClient(apiKey: Self.key, baseURL: URL(string: base)!, httpClient: fake)
    }

    @Test func fetchesAScheduledEventByItsURI() async throws {
        let fake = RecordingHTTPClient { _ in (200, Self.eventBody) }
        let event = try await client(fake).scheduledEvent("https://api.calendly.com/scheduled_events/EVT1")
        #expect(fake.recorded == [
            .init(url: "https://api.calendly.com/scheduled_events/EVT1", headers: Self.headers)
        ])
        #expect(event.uri == "https://api.calendly.com/scheduled_events/EVT1")
        #expect(event.name == "30 Minute Consultation")
        #expect(event.startTime == Self.utc("2025-06-17T09:00:00Z"))
        #expect(event.eventMemberships.first?.user == "https://api.calendly.com/users/HOST1")
    }

    @Test func honoursABaseURLWithAPathAndATrailingSlash() async throws {
        let fake = RecordingHTTPClient { _ in (200, Self.eventBody) }
        _ = try await client(fake, base: "http://127.0.0.1:8089/calendly/").scheduledEvent(
            "https://api.calendly.com/scheduled_events/EVT1")
        #expect(fake.recorded.map(\.url.absoluteString) == ["http://127.0.0.1:8089/calendly/scheduled_events/EVT1"])
    }

    @Test func refusesAnEventURIWithoutAUsableUUID() async {
        let fake = RecordingHTTPClient { _ in (200, Self.eventBody) }
        for uri in ["", "https://api.calendly.com/scheduled_events/", "https://x/a b", "../../users/me?x=1"] {
            await #expect(throws: ProviderError.self) { try await client(fake).scheduledEvent(uri) }
        }
        #expect(fake.recorded.isEmpty)
    }

    @Test func listsAvailabilitySchedules() async throws {
        let fake = RecordingHTTPClient { _ in (200, Self.schedulesBody) }
        let schedules = try await client(fake).userAvailabilitySchedules(userURI: Self.host)
        #expect(fake.recorded == [
            .init(url: "https://api.calendly.com/user_availability_schedules?user=\(Self.encodedHost)", headers: Self.headers)
        ])
        #expect(fake.recorded.first?.path == "/user_availability_schedules")
        #expect(fake.recorded.first?.query == ["user": Self.host])
        #expect(schedules == [
            AvailabilitySchedule(
                uri: "https://api.calendly.com/user_availability_schedules/SCHED0001", isDefault: true,
                name: "Working hours", user: Self.host, timezone: "America/New_York",
                rules: [
                    AvailabilityRule(type: "wday", wday: "monday", intervals: [.init(from: "09:00", to: "12:00"), .init(from: "13:00", to: "17:00")]),
                    AvailabilityRule(type: "wday", wday: "saturday", intervals: []),
                    AvailabilityRule(type: "date", date: "2025-12-24", intervals: []),
                ])
        ])
        #expect(AvailabilityInterval.minutes("13:30") == 810)
        #expect(AvailabilityInterval.minutes("24:00") == 1440)
        #expect(AvailabilityInterval.minutes("24:30") == nil && AvailabilityInterval.minutes("9:00") == nil)
    }

    @Test func fetchesBusyTimesForOneWeek() async throws {
        let fake = RecordingHTTPClient { _ in (200, Self.busyBody([Self.calendlyBusy, Self.externalBusy])) }
        let busy = try await client(fake).userBusyTimes(
            userURI: Self.host, start: Self.utc("2025-06-16T00:00:00Z"), end: Self.utc("2025-06-23T00:00:00Z"))
        #expect(fake.recorded == [
            .init(
                url: "https://api.calendly.com/user_busy_times?user=\(Self.encodedHost)"
                    + "&start_time=2025-06-16T00%3A00%3A00Z&end_time=2025-06-23T00%3A00%3A00Z",
                headers: Self.headers)
        ])
        #expect(fake.recorded.first?.query == [
            "user": Self.host, "start_time": "2025-06-16T00:00:00Z", "end_time": "2025-06-23T00:00:00Z",
        ])
        #expect(busy == [
            BusyTime(
                type: "calendly", startTime: Self.utc("2025-06-17T09:00:00Z"), endTime: Self.utc("2025-06-17T09:30:00Z"),
                bufferedStartTime: Self.utc("2025-06-17T08:45:00Z"), bufferedEndTime: Self.utc("2025-06-17T09:45:00Z"),
                eventURI: "https://api.calendly.com/scheduled_events/EVT1"),
            BusyTime(type: "external", startTime: Self.utc("2025-06-18T12:00:00Z"), endTime: Self.utc("2025-06-18T13:00:00Z")),
        ])
    }

    @Test func splitsALongRangeIntoSevenDayWindowsAndMergesDuplicates() async throws {
        // The calendly item is returned by every window, as an event across a boundary would be.
        let fake = RecordingHTTPClient { _ in (200, Self.busyBody([Self.calendlyBusy])) }
        let busy = try await client(fake).userBusyTimes(
            userURI: Self.host, start: Self.utc("2025-06-16T00:00:00Z"), end: Self.utc("2025-07-03T12:00:00Z"))
        #expect(fake.recorded.map { [$0.query["start_time"]!, $0.query["end_time"]!] } == [
            ["2025-06-16T00:00:00Z", "2025-06-23T00:00:00Z"],
            ["2025-06-23T00:00:00Z", "2025-06-30T00:00:00Z"],
            ["2025-06-30T00:00:00Z", "2025-07-03T12:00:00Z"],
        ])
        #expect(busy.count == 1)
    }

    @Test func refusesAnEmptyOrBackwardBusyRange() async {
        let fake = RecordingHTTPClient { _ in (200, Self.busyBody([])) }
        let start = Self.utc("2025-06-16T00:00:00Z")
        await #expect(throws: ProviderError.self) { try await client(fake).userBusyTimes(userURI: Self.host, start: start, end: start) }
        #expect(fake.recorded.isEmpty)
    }

    @Test func reportsCalendlysErrorMessageForANon2xx() async {
        let fake = RecordingHTTPClient { _ in
            (400, #"{ "title": "Invalid Argument", "message": "The supplied parameters are invalid.", "details": [ { "parameter": "start_time", "message": "must be in the future" } ] }"#)
        }
        do {
            _ = try await client(fake).userBusyTimes(
                userURI: Self.host, start: Self.utc("2025-06-16T00:00:00Z"), end: Self.utc("2025-06-17T00:00:00Z"))
            Issue.record("no error")
        } catch {
            #expect(error.reason == .apiStatus)
            #expect(error.status == 400)
            #expect(error.detail.contains("The supplied parameters are invalid."))
            #expect(error.detail.contains("start_time must be in the future"))
            #expect(!error.description.contains(Self.key))
        }
    }

    @Test func reports404AndANonJSONErrorBody() async {
        for (status, body, text) in [
            (404, #"{"title":"Resource Not Found","message":"The server could not find the requested resource."}"#, "Resource Not Found"),
            (502, "<html>bad gateway</html>", "non-JSON"),
        ] {
            let fake = RecordingHTTPClient { _ in (status, body) }
            do {
                _ = try await client(fake).scheduledEvent("https://api.calendly.com/scheduled_events/EVT9")
                Issue.record("no error")
            } catch {
                #expect(error.reason == .apiStatus && error.status == status)
                #expect(error.detail.contains(text), "\(error)")
            }
        }
    }

    @Test func reportsUnreachableAndMalformedResponses() async {
        let down = RecordingHTTPClient.unreachable()
        await #expect(throws: ProviderError(.calendly, .apiUnreachable, "GET /user_availability_schedules: no response from Calendly")) {
            try await client(down).userAvailabilitySchedules(userURI: Self.host)
        }
        let odd = RecordingHTTPClient { _ in (200, #"{"collection": [{"uri": "x"}]}"#) }
        do {
            _ = try await client(odd).userAvailabilitySchedules(userURI: Self.host)
            Issue.record("no error")
        } catch {
            #expect(error.reason == .malformedResponse)
            #expect(error.detail.contains("collection[0].user"), "\(error)")
        }
    }
}
