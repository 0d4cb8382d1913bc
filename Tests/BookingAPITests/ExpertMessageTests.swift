import BookingAPI
import ProtoWire
import Testing

@Suite struct ExpertMessageTests {
    static let expert = Expert.with {
        $0.id = "exp-1"
        $0.name = "Bo"
        $0.specialties = ["tax", "visa"]
        $0.timezone = "America/New_York"
        $0.active = false
        $0.weeklyHours = [WeeklyHours.with { $0.day = .monday; $0.startTime = "09:00"; $0.endTime = "17:00" }]
        $0.dateOverrides = [DateOverride.with { $0.date = "2024-12-24" }]
        $0.scheduling = SchedulingRules.with { $0.bufferBeforeMinutes = 10; $0.maxCallsPerWeek = 20; $0.weight = -1 }
        $0.availableSlots = [TimeSlot.with {
            $0.start = Timestamp(seconds: 1_714_557_600)
            $0.end = Timestamp(seconds: 1_714_559_400)
        }]
    }

    /// `protoc --encode=loop.callbooking.v1.Expert`.
    static let bytes = [UInt8](hex: """
        0a056578702d311202426f22037461782204766973612a10416d65726963612f4e65775f596f726b40004a100801120530393a\
        30301a0531373a3030520c0a0a323032342d31322d3234620f080a301438ffffffffffffffffff016a100a0608a0a5c8b10612\
        0608a8b3c8b106
        """)

    static let json = #"{"id":"exp-1","name":"Bo","specialties":["tax","visa"],"timezone":"America/New_York","#
        + #""active":false,"weeklyHours":[{"day":"MONDAY","startTime":"09:00","endTime":"17:00"}],"#
        + #""dateOverrides":[{"date":"2024-12-24"}],"scheduling":{"bufferBeforeMinutes":10,"maxCallsPerWeek":20,"weight":-1},"#
        + #""availableSlots":[{"start":"2024-05-01T10:00:00Z","end":"2024-05-01T10:30:00Z"}]}"#

    @Test func encodesLikeProtoc() {
        #expect(Self.expert.serializedBytes() == Self.bytes)
    }

    @Test func decodesProtocBytes() throws {
        #expect(try Expert(serializedBytes: Self.bytes) == Self.expert)
    }

    @Test func printsJSONLikeGoogle() throws {
        #expect(try Self.expert.jsonString() == Self.json)
        #expect(try Expert(jsonString: Self.json) == Self.expert)
    }

    /// `optional bool active`: CreateExpert tells "absent" (true) from an explicit false.
    @Test func activeFalseIsPresentAndAbsentIsNil() throws {
        #expect(Expert.with { $0.active = false }.serializedBytes().hex == "4000")
        #expect(try Expert(jsonString: #"{"active": false}"#).active == false)
        #expect(try Expert(jsonString: "{}").active == nil)
    }

    @Test func setAvailabilityTakesTheWholeRequestBody() throws {
        let request = try SetExpertAvailabilityRequest(jsonString: """
            {"expertId": "exp-1", "weeklyHours": [{"day": "FRIDAY", "startTime": "10:00", "endTime": "12:00"}],
             "timeOff": [{"start": "2024-05-01T00:00:00Z", "end": "2024-05-02T00:00:00Z"}], "scheduling": null}
            """)
        #expect(request.weeklyHours.first?.day == .friday)
        #expect(request.timeOff.first?.end == Timestamp(seconds: 1_714_608_000))
        #expect(request.scheduling == nil)
    }
}

@Suite struct AnalyticsAndHoldTests {
    @Test func int64CountersAreStringsInJSONAndVarintsOnTheWire() throws {
        let analytics = CallAnalytics.with {
            $0.totalCalls = 9_007_199_254_740_993
            $0.completedCalls = 3
            $0.noShowCalls = -1
            $0.completionRate = 0.6
            $0.p90DurationSeconds = 1800
            $0.perExpert = [ExpertCallStats.with { $0.expertID = "exp-1"; $0.totalCalls = 2; $0.averageDurationSeconds = 1234.5 }]
        }
        #expect(analytics.serializedBytes().hex == "088180808080808010100320ffffffffffffffffff0129333333333333e33f41"
            + "0000000000209c404a120a056578702d3110022900000000004a9340")
        let json = #"{"totalCalls":"9007199254740993","completedCalls":"3","noShowCalls":"-1","completionRate":0.6,"#
            + #""p90DurationSeconds":1800.0,"perExpert":[{"expertId":"exp-1","totalCalls":"2","averageDurationSeconds":1234.5}]}"#
        #expect(try analytics.jsonString() == json)
        #expect(try CallAnalytics(jsonString: json) == analytics)
    }

    @Test func slotHoldMatchesProtoc() throws {
        let hold = SlotHold.with {
            $0.id = "h1"
            $0.expertID = "exp-1"
            $0.start = Timestamp(seconds: 1_714_557_600)
            $0.end = Timestamp(seconds: 1_714_559_400)
            $0.customerUserID = "user_2x"
            $0.expiresAt = Timestamp(seconds: 1_714_550_000, nanos: 1)
        }
        #expect(hold.serializedBytes().hex == "0a02683112056578702d311a0608a0a5c8b106220608a8b3c8b1062a07757365725f3278320808f0e9c7b1061001")
        #expect(try hold.jsonString() == #"{"id":"h1","expertId":"exp-1","start":"2024-05-01T10:00:00Z","#
            + #""end":"2024-05-01T10:30:00Z","customerUserId":"user_2x","expiresAt":"2024-05-01T07:53:20.000000001Z"}"#)
    }
}
