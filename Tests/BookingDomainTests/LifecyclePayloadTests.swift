import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// The JSON the Trigger.dev tasks receive: field names and values as a task reads them.
@Suite struct LifecyclePayloadTests {
    func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static let context = [QuestionAnswer(question: "What do you need?", answer: "Help with a rental income form")]

    @Test func theCustomersReminderNamesTheCallItsTimesHowToJoinAndWhatToPrepare() throws {
        var call = lifecycleCall(start: "2030-01-07T09:00:00Z", context: Self.context)
        call.preparationInstructions = "Bring last year's return and this year's payslips."
        let expert = Expert.named(zone: "America/New_York")
        let reminder = try #require(ReminderPlan(call: call, expert: expert, offsetsMinutes: [15], now: longAgo).reminders.first)
        let id = call.id.uuidString
        #expect(try json(ReminderPayload(reminder, call: call, expert: expert, join: .fixture(call.id))) == """
            {"callId":"\(id)","end":{"display":"Monday, 7 January 2030, 10:30 CET","local":"2030-01-07T10:30:00+01:00",\
            "timeZone":"Europe/Berlin","utc":"2030-01-07T09:30:00Z"},\
            "join":{"callId":"\(id)","text":"Open the call in the app, signed in as yourself, at the time above. \
            The app gets your personal video token from CreateCallToken (POST /api/v1/calls/\(id)/token); \
            the token works only for you and only for this call.",\
            "tokenMethod":"loop.callbooking.v1.CallService/CreateCallToken","tokenRoute":"POST /api/v1/calls/\(id)/token"},\
            "kind":"call.reminder","minutesBefore":15,"otherParty":{"name":"Ada Expert","role":"expert"},\
            "preparation":["Join from a quiet place with a stable connection, and check your camera and microphone beforehand.",\
            "Write down the questions you want answered about “Tax return 2029”."],\
            "preparationInstructions":"Bring last year's return and this year's payslips.",\
            "recipient":{"email":"dana@example.org","name":"Dana Lee","role":"customer","timeZone":"Europe/Berlin","userId":"user_2hK9abc"},\
            "start":{"display":"Monday, 7 January 2030, 10:00 CET","local":"2030-01-07T10:00:00+01:00",\
            "timeZone":"Europe/Berlin","utc":"2030-01-07T09:00:00Z"},\
            "topic":"Tax return 2029"}
            """)
    }

    @Test func theExpertsReminderIsInTheirZoneAndCarriesTheCustomersAnswersAndWhatTheyWereAskedToPrepare() throws {
        var call = lifecycleCall(start: "2030-01-07T09:00:00Z", context: Self.context)
        call.preparationInstructions = "Bring last year's return."
        let expert = Expert.named(zone: "America/New_York")
        let reminder = try #require(
            ReminderPlan(call: call, expert: expert, offsetsMinutes: [1440], now: longAgo).reminders.first { $0.recipient.role == .expert })
        let payload = ReminderPayload(reminder, call: call, expert: expert, join: .fixture(call.id))
        #expect(payload.recipient == CallParticipant(
            role: .expert, expertID: .number(1), userID: "user_expert1", name: "Ada Expert", email: "ada@example.com",
            timeZone: "America/New_York"))
        #expect(payload.start.display == "Monday, 7 January 2030, 04:00 EST")
        #expect(payload.otherParty == .init(role: .customer, name: "Dana Lee"))
        #expect(payload.preparation.last == "Read the customer's answers from the booking (below) before the call.")
        let text = try json(payload)
        #expect(text.contains(#""customerContext":[{"answer":"Help with a rental income form","question":"What do you need?"}]"#))
        #expect(text.contains(#""recipient":{"email":"ada@example.com","expertId":"\#(ExpertID.number(1))","name":"Ada Expert""#))
        #expect(text.contains(#""minutesBefore":1440"#))
        #expect(text.contains(#""preparationInstructions":"Bring last year's return.""#))
    }

    @Test func aCompletedCallsFollowUpHasBothSidesInTheirOwnZones() throws {
        var call = lifecycleCall(start: "2030-01-07T09:00:00Z", state: .completed)
        call.startedAt = .utc("2030-01-07T09:02:00Z")
        call.endedAt = .utc("2030-01-07T09:40:30Z")
        let expert = Expert.named(zone: "America/New_York")
        let followUp = try #require(FollowUpPayload(completed: call, expert: expert))
        let id = call.id.uuidString
        #expect(followUp.idempotencyKey == "call-booking:follow-up:\(id)")
        #expect(try json(followUp) == """
            {"callId":"\(id)","durationSeconds":2310,"endedAt":"2030-01-07T09:40:30Z","kind":"call.completed",\
            "participants":[\
            {"email":"dana@example.org","end":{"display":"Monday, 7 January 2030, 10:40 CET","local":"2030-01-07T10:40:30+01:00",\
            "timeZone":"Europe/Berlin","utc":"2030-01-07T09:40:30Z"},"name":"Dana Lee","role":"customer",\
            "start":{"display":"Monday, 7 January 2030, 10:02 CET","local":"2030-01-07T10:02:00+01:00",\
            "timeZone":"Europe/Berlin","utc":"2030-01-07T09:02:00Z"},"timeZone":"Europe/Berlin","userId":"user_2hK9abc"},\
            {"email":"ada@example.com","end":{"display":"Monday, 7 January 2030, 04:40 EST","local":"2030-01-07T04:40:30-05:00",\
            "timeZone":"America/New_York","utc":"2030-01-07T09:40:30Z"},"expertId":"\(ExpertID.number(1))","name":"Ada Expert",\
            "role":"expert","start":{"display":"Monday, 7 January 2030, 04:02 EST","local":"2030-01-07T04:02:00-05:00",\
            "timeZone":"America/New_York","utc":"2030-01-07T09:02:00Z"},"timeZone":"America/New_York","userId":"user_expert1"}],\
            "startedAt":"2030-01-07T09:02:00Z","topic":"Tax return 2029"}
            """)
    }

    @Test func theRecordingIsItsOwnDeliveryWithItsLink() throws {
        var call = lifecycleCall(start: "2030-01-07T09:00:00Z", state: .completed)
        call.endedAt = .utc("2030-01-07T09:30:00Z")
        let recording = FollowUpPayload.Recording(
            id: "rec_1_composite.mp4", url: "https://video.example/rec_1.mp4?sig=abc", startedAt: .utc("2030-01-07T09:00:05Z"))
        let followUp = try #require(FollowUpPayload(completed: call, expert: nil, recording: recording))
        #expect(followUp.kind == "call.recording_ready")
        #expect(followUp.idempotencyKey == "call-booking:recording:\(call.id):rec_1_composite.mp4")
        #expect(followUp.participants.map(\.participant.role) == [.customer])
        let text = try json(followUp)
        #expect(text.contains(
            #""recording":{"id":"rec_1_composite.mp4","startedAt":"2030-01-07T09:00:05Z","url":"https://video.example/rec_1.mp4?sig=abc"}"#))
        // CompleteCall on a call nobody started: no start time, no duration; times from the booking.
        #expect(text.components(separatedBy: #""startedAt""#).count == 2)   // the recording's only
        #expect(!text.contains("durationSeconds"))
        #expect(followUp.participants.first?.start.display == "Monday, 7 January 2030, 10:00 CET")
    }

    @Test(arguments: [CallState.scheduled, .inProgress, .cancelled, .noShow])
    func onlyACompletedCallHasAFollowUp(state: CallState) {
        var call = lifecycleCall(start: "2030-01-07T09:00:00Z", state: state)
        call.endedAt = .utc("2030-01-07T09:30:00Z")
        #expect(FollowUpPayload(completed: call, expert: nil) == nil)
    }
}
