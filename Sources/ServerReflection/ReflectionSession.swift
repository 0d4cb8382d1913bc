public import BookingAPI

/// The answers on one reflection stream, request by request. Each request gets exactly one
/// response; a name the server does not know is an `error_response` (NOT_FOUND), and the
/// stream goes on. A value per stream: it remembers which files the stream has carried.
public struct ReflectionSession: Sendable {
    private let index: DescriptorIndex
    private let services: [String]
    private var sentFiles: Set<String> = []

    /// `services`: the full names `list_services` answers, in that order.
    public init(index: DescriptorIndex, services: [String]) {
        self.index = index
        self.services = services
    }

    public mutating func answer(_ request: ServerReflectionRequest) -> ServerReflectionResponse {
        var response = ServerReflectionResponse()
        response.validHost = request.host
        response.originalRequest = request
        response.answer = self.answer(to: request.question)
        return response
    }

    private mutating func answer(to question: ServerReflectionRequest.Question?) -> ServerReflectionResponse.Answer {
        switch question {
        case .listServices:
            var list = ListServiceResponse()
            list.service = self.services.map(ServiceResponse.init(name:))
            return .listServicesResponse(list)
        case .fileByFilename(let name):
            return self.files(self.index.file(named: name), orError: "no file named \(name)")
        case .fileContainingSymbol(let symbol):
            return self.files(self.index.file(containingSymbol: symbol), orError: "no symbol named \(symbol)")
        case .fileContainingExtension(let request):
            return self.files(
                self.index.file(extending: request.containingType, number: request.extensionNumber),
                orError: "no extension \(request.extensionNumber) of \(request.containingType)")
        case .allExtensionNumbersOfType(let message):
            guard let numbers = self.index.extensionNumbers(of: message) else {
                return Self.error(.notFound, "no message type named \(message)")
            }
            var answer = ExtensionNumberResponse()
            answer.baseTypeName = message
            answer.extensionNumber = numbers
            return .allExtensionNumbersResponse(answer)
        case nil:
            return Self.error(.invalidArgument, "the request asks nothing (no message_request field is set)")
        }
    }

    private mutating func files(_ file: DescriptorIndex.File?, orError message: String) -> ServerReflectionResponse.Answer {
        guard let file else { return Self.error(.notFound, message) }
        var answer = FileDescriptorResponse()
        answer.fileDescriptorProto = self.index.fileWithDependencies(file, notIn: &self.sentFiles)
        return .fileDescriptorResponse(answer)
    }

    /// google.rpc.Code numbers, as `error_code` carries them.
    private enum Code: Int32 {
        case invalidArgument = 3
        case notFound = 5
    }

    private static func error(_ code: Code, _ message: String) -> ServerReflectionResponse.Answer {
        var error = ErrorResponse()
        error.errorCode = code.rawValue
        error.errorMessage = message
        return .errorResponse(error)
    }
}
