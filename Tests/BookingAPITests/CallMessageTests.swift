import BookingAPI
import ProtoWire
import Testing

/// Golden bytes from `protoc --encode=loop.callbooking.v1.Call`; golden JSON from Python's
/// `json_format.MessageToDict` of the same message, printed compactly.
@Suite struct CallMessageTests {
    static let call = Call.with {
        $0.id = "0b6f7c1e-1111-4a2b-9c3d-000000000001"
        $0.state = .noShow
        $0.noShowParty = .expert
        $0.expertID = "exp-1"
        $0.assignment = Assignment.with {
            $0.reason = .matched
            $0.note = "best match"
            $0.candidates = [CandidateScore.with { $0.expertID = "exp-1"; $0.score = 0.75; $0.explanation = "idle" }]
        }
        $0.customer = Customer.with {
            $0.userID = "user_2x"; $0.email = "ana@example.com"; $0.name = "Ana"; $0.timezone = "Europe/Berlin"
        }
        $0.topic = "Taxes"
        $0.customerContext = [QuestionAnswer.with { $0.question = "Goal?"; $0.answer = "Save" }]
        $0.scheduledStart = Timestamp(seconds: 1_714_557_600)
        $0.scheduledEnd = Timestamp(seconds: 1_714_559_400, nanos: 500_000_000)
        $0.video = VideoRoom.with { $0.callType = "default"; $0.callID = "c1" }
        $0.calendlyEventURI = "https://api.calendly.com/scheduled_events/E1"
        $0.createdAt = Timestamp()
    }

    static let bytes = [UInt8](hex: """
        0a2430623666376331652d313131312d346132622d396333642d3030303030303030303030311005180222056578702d312a26\
        0802120a62657374206d617463681a160a056578702d3111000000000000e83f1a0469646c65322e0a07757365725f3278120f\
        616e61406578616d706c652e636f6d1a03416e61220d4575726f70652f4265726c696e3a055461786573420d0a05476f616c3f\
        1204536176654a0608a0a5c8b106520c08a8b3c8b1061080cab5ee016a0d0a0764656661756c74120263318a012c6874747073\
        3a2f2f6170692e63616c656e646c792e636f6d2f7363686564756c65645f6576656e74732f45319a0100
        """)

    static let json = #"{"id":"0b6f7c1e-1111-4a2b-9c3d-000000000001","state":"CALL_STATE_NO_SHOW","#
        + #""noShowParty":"NO_SHOW_PARTY_EXPERT","expertId":"exp-1","assignment":{"reason":"ASSIGNMENT_REASON_MATCHED","#
        + #""note":"best match","candidates":[{"expertId":"exp-1","score":0.75,"explanation":"idle"}]},"#
        + #""customer":{"userId":"user_2x","email":"ana@example.com","name":"Ana","timezone":"Europe/Berlin"},"#
        + #""topic":"Taxes","customerContext":[{"question":"Goal?","answer":"Save"}],"#
        + #""scheduledStart":"2024-05-01T10:00:00Z","scheduledEnd":"2024-05-01T10:30:00.500Z","#
        + #""video":{"callType":"default","callId":"c1"},"#
        + #""calendlyEventUri":"https://api.calendly.com/scheduled_events/E1","createdAt":"1970-01-01T00:00:00Z"}"#

    @Test func encodesLikeProtoc() {
        #expect(Self.call.serializedBytes() == Self.bytes)
    }

    @Test func decodesProtocBytes() throws {
        #expect(try Call(serializedBytes: Self.bytes) == Self.call)
    }

    @Test func printsJSONLikeGoogle() throws {
        #expect(try Self.call.jsonString() == Self.json)
    }

    @Test func jsonRoundTrips() throws {
        #expect(try Call(jsonString: Self.json) == Self.call)
    }

    @Test func restClientsMayUseOriginalFieldNames() throws {
        let request = try CreateCallRequest(jsonString: """
            {"request_id": "r1", "expert_id": "", "hold_id": "h1",
             "customer": {"user_id": "u1"}, "scheduled_start": "2024-05-01T12:00:00+02:00",
             "customer_context": [{"question": "q", "answer": "a"}]}
            """)
        #expect(request.requestID == "r1")
        #expect(request.holdID == "h1")
        #expect(request.customer?.userID == "u1")
        #expect(request.scheduledStart == Timestamp(seconds: 1_714_557_600))
        #expect(request.customerContext.count == 1)
    }

    @Test func unsetMessageFieldsStayAbsent() throws {
        let call = try Call(serializedBytes: [UInt8](hex: "0a0178"))
        #expect(call.customer == nil)
        #expect(call.scheduledStart == nil)
        #expect(try call.jsonString() == #"{"id":"x"}"#)
    }

    @Test func unknownCallStateSurvivesARoundTrip() throws {
        let call = try Call(serializedBytes: [UInt8](hex: "1063"))
        #expect(call.state == CallState(rawValue: 99))
        #expect(call.serializedBytes().hex == "1063")
        #expect(try call.jsonString() == #"{"state":99}"#)
    }

    @Test func negativePageSizeIsTenBytes() {
        let request = ListUpcomingCallsRequest.with { $0.expertID = "exp-1"; $0.pageSize = -5; $0.pageToken = "t" }
        #expect(request.serializedBytes().hex == "0a056578702d3110fbffffffffffffffff011a0174")
    }
}
