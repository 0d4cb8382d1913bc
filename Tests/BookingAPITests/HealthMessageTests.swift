import BookingAPI
import ProtoWire
import Testing

@Suite struct HealthMessageTests {
    @Test func servingIsTwoBytesAndUnknownIsEmpty() throws {
        #expect(HealthCheckResponse(status: .serving).serializedBytes() == [0x08, 0x01])
        #expect(HealthCheckResponse(status: .unknown).serializedBytes().isEmpty)
        #expect(try HealthCheckResponse(serializedBytes: [0x08, 0x02]).status == .notServing)
        #expect(try HealthCheckResponse(status: .serviceUnknown).jsonString() == #"{"status":"SERVICE_UNKNOWN"}"#)
    }

    @Test func checkRequestForTheWholeServerIsEmpty() {
        #expect(HealthCheckRequest().serializedBytes().isEmpty)
        #expect(HealthCheckRequest.with { $0.service = "loop.callbooking.v1.CallService" }.serializedBytes().count == 33)
    }

    /// Entries in Google's deterministic order (Python `SerializeToString(deterministic=True)`).
    @Test func listResponseMatchesGoogleDeterministicBytes() throws {
        let response = HealthListResponse.with {
            $0.statuses = [
                "loop.callbooking.v1.CallService": HealthCheckResponse(status: .notServing),
                "": HealthCheckResponse(status: .serving),
                "loop.callbooking.v1.ExpertService": HealthCheckResponse(),
            ]
        }
        let golden = "0a250a1f6c6f6f702e63616c6c626f6f6b696e672e76312e43616c6c53657276696365120208020a250a216c6f6f702e"
            + "63616c6c626f6f6b696e672e76312e4578706572745365727669636512000a060a0012020801"
        #expect(response.serializedBytes().hex == golden)
        #expect(try HealthListResponse(serializedBytes: [UInt8](hex: golden)) == response)
        #expect(try response.jsonString() == #"{"statuses":{"loop.callbooking.v1.CallService":{"status":"NOT_SERVING"},"#
            + #""loop.callbooking.v1.ExpertService":{},"":{"status":"SERVING"}}}"#)
    }

    @Test func listRequestIsEmptyAndRejectsUnknownJSONKeys() throws {
        #expect(HealthListRequest().serializedBytes().isEmpty)
        #expect(throws: WireError.self) { try HealthListRequest(jsonString: #"{"x": 1}"#) }
    }
}
