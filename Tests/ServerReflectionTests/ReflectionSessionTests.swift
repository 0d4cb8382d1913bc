import BookingAPI
import ProtoDescriptors
import Testing

@testable import ServerReflection

/// The answers of a reflection stream over the descriptors generated from proto/.
@Suite struct ReflectionSessionTests {
    static let index = try! DescriptorIndex(base64: ProtoDescriptors.files)
    static let services = ["grpc.health.v1.Health", "loop.callbooking.v1.CallService"]

    private func session() -> ReflectionSession {
        ReflectionSession(index: Self.index, services: Self.services)
    }

    private func request(_ question: ServerReflectionRequest.Question, host: String = "") -> ServerReflectionRequest {
        var request = ServerReflectionRequest()
        request.host = host
        request.question = question
        return request
    }

    /// The paths of the files in a file_descriptor_response, in order.
    private func fileNames(_ response: ServerReflectionResponse) throws -> [String] {
        guard case .fileDescriptorResponse(let files) = response.answer else {
            Issue.record("expected files, got \(String(describing: response.answer))")
            return []
        }
        return try files.fileDescriptorProto.map { try FileDescriptorOutline(serializedBytes: $0).name }
    }

    private func error(_ response: ServerReflectionResponse) -> ErrorResponse? {
        if case .errorResponse(let error) = response.answer { error } else { nil }
    }

    @Test func listServicesNamesTheGivenServicesAndEchoesTheRequest() {
        var session = self.session()
        let request = self.request(.listServices("*"), host: "localhost:3003")
        let response = session.answer(request)
        #expect(response.validHost == "localhost:3003")
        #expect(response.originalRequest == request)
        guard case .listServicesResponse(let list) = response.answer else {
            Issue.record("expected a service list")
            return
        }
        #expect(list.service.map(\.name) == Self.services)
    }

    @Test func aServiceComesWithEveryFileItImportsOnceAStream() throws {
        var session = self.session()
        let first = try self.fileNames(session.answer(self.request(.fileContainingSymbol("loop.callbooking.v1.CallService"))))
        #expect(first.first == "loop/callbooking/v1/call_booking.proto")
        #expect(Set(first) == [
            "loop/callbooking/v1/call_booking.proto", "google/api/annotations.proto", "google/api/http.proto",
            "google/protobuf/descriptor.proto", "google/protobuf/timestamp.proto", "google/protobuf/field_mask.proto",
        ])
        #expect(first.count == 6)
        // The same file again on this stream: itself only, its imports were sent.
        let again = try self.fileNames(session.answer(self.request(.fileContainingSymbol("loop.callbooking.v1.Call"))))
        #expect(again == ["loop/callbooking/v1/call_booking.proto"])
        // A new stream sends them again.
        var fresh = self.session()
        #expect(try self.fileNames(fresh.answer(self.request(.fileContainingSymbol("loop.callbooking.v1.Call")))).count == 6)
    }

    @Test(arguments: [
        "loop.callbooking.v1.CallService", "loop.callbooking.v1.CallService.GetCall", "loop.callbooking.v1.Call",
        "loop.callbooking.v1.Call.scheduled_start", "loop.callbooking.v1.CallState",
        "loop.callbooking.v1.CALL_STATE_SCHEDULED", "loop.callbooking.v1.ExpertService.HoldSlot",
    ])
    func everyKindOfSymbolFindsItsFile(symbol: String) throws {
        var session = self.session()
        #expect(try self.fileNames(session.answer(self.request(.fileContainingSymbol(symbol)))).first
            == "loop/callbooking/v1/call_booking.proto")
    }

    @Test func nestedTypesOneofsAndExtensionsFindTheirFiles() throws {
        var session = self.session()
        let cases = [
            ("grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto"),
            ("grpc.health.v1.HealthCheckResponse.SERVING", "grpc/health/v1/health.proto"),
            ("grpc.reflection.v1.ServerReflectionRequest.message_request", "grpc/reflection/v1/reflection.proto"),
            ("grpc.reflection.v1alpha.ServerReflection", "grpc/reflection/v1alpha/reflection.proto"),
            ("google.api.http", "google/api/annotations.proto"),
            ("google.protobuf.Timestamp", "google/protobuf/timestamp.proto"),
        ]
        for (symbol, file) in cases {
            #expect(try self.fileNames(session.answer(self.request(.fileContainingSymbol(symbol)))).first == file, "\(symbol)")
        }
    }

    @Test func anUnknownNameIsNotFoundAndTheStreamGoesOn() throws {
        var session = self.session()
        for question in [
            ServerReflectionRequest.Question.fileContainingSymbol("loop.callbooking.v1.Nope"),
            .fileByFilename("nope.proto"), .allExtensionNumbersOfType("loop.callbooking.v1.Nope"),
            .fileContainingExtension(ExtensionRequest.with { $0.containingType = "loop.callbooking.v1.Call"; $0.extensionNumber = 1 }),
        ] {
            let error = self.error(session.answer(self.request(question)))
            #expect(error?.errorCode == 5, "\(question)")
            #expect(error?.errorMessage.isEmpty == false)
        }
        #expect(try self.fileNames(session.answer(self.request(.fileByFilename("grpc/health/v1/health.proto")))) == [
            "grpc/health/v1/health.proto"
        ])
    }

    @Test func extensionsAreFoundByTheMessageTheyExtend() throws {
        var session = self.session()
        let extensionRequest = ExtensionRequest.with {
            $0.containingType = "google.protobuf.MethodOptions"
            $0.extensionNumber = 72_295_728
        }
        #expect(try self.fileNames(session.answer(self.request(.fileContainingExtension(extensionRequest)))).first
            == "google/api/annotations.proto")
        let numbers = session.answer(self.request(.allExtensionNumbersOfType("google.protobuf.MethodOptions")))
        #expect(numbers.answer == .allExtensionNumbersResponse(ExtensionNumberResponse.with {
            $0.baseTypeName = "google.protobuf.MethodOptions"
            $0.extensionNumber = [72_295_728]
        }))
        let none = session.answer(self.request(.allExtensionNumbersOfType("loop.callbooking.v1.Call")))
        #expect(none.answer == .allExtensionNumbersResponse(ExtensionNumberResponse.with {
            $0.baseTypeName = "loop.callbooking.v1.Call"
        }))
    }

    @Test func aRequestAskingNothingIsInvalid() {
        var session = self.session()
        #expect(self.error(session.answer(ServerReflectionRequest()))?.errorCode == 3)
    }
}
