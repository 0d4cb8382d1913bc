/// Names one RPC: `loop.callbooking.v1.CallService` + `GetCall`.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// Fully-qualified service name, `package.Service`.
    public let service: String
    public let method: String

    public init(service: String, method: String) {
        self.service = service
        self.method = method
    }

    /// The gRPC request path, `/package.Service/Method`.
    public var path: String { "/\(self.service)/\(self.method)" }
    public var description: String { "\(self.service)/\(self.method)" }

    /// Parses a gRPC `:path`: it must start with `/` and is split at the last `/`
    /// (as grpc-go does); both parts must be non-empty.
    public init?(path: Substring) {
        guard path.first == "/", let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return nil }
        let service = path[path.index(after: path.startIndex)..<slash]
        let method = path[path.index(after: slash)...]
        guard !service.isEmpty, !method.isEmpty else { return nil }
        self.init(service: String(service), method: String(method))
    }
}
