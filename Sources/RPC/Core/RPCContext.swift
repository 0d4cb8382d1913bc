import Foundation
public import Transport

/// Which framing a call arrived in. Handlers rarely care; metrics and logs do.
public enum WireProtocol: String, Sendable {
    case grpc
    case rest
}

/// Request metadata: the request's headers without pseudo-headers and without the ones the
/// protocol itself consumes (`content-type`, `te`, `grpc-*`). Names are lower case.
public struct RPCMetadata: Sendable {
    public let fields: HTTPFields

    public init(_ fields: HTTPFields) { self.fields = fields }

    /// Headers no handler needs to see as metadata.
    static func isReserved(_ name: String) -> Bool {
        name.hasPrefix("grpc-") || name == "content-type" || name == "te" || name == "content-length"
            || name == "connection" || name == "host"
    }

    init(requestHeaders: HTTPFields) {
        var fields = HTTPFields()
        for field in requestHeaders where !Self.isReserved(field.name) {
            fields.append(field.name, field.value)
        }
        self.fields = fields
    }

    /// The first text value of `key`.
    public subscript(key: String) -> String? { self.fields[key] }

    /// Values of a `-bin` key, base64-decoded. gRPC allows padded and unpadded base64 and
    /// several values joined by commas; a value that is not base64 is skipped.
    public func binaryValues(_ key: String) -> [[UInt8]] {
        self.fields.values(for: key).flatMap { $0.split(separator: ",") }.compactMap { encoded in
            var text = encoded.trimmingCharacters(in: .whitespaces)
            text += String(repeating: "=", count: (4 - text.count % 4) % 4)
            return Data(base64Encoded: text).map { Array($0) }
        }
    }
}

/// What a handler knows about the call besides its request message.
public struct RPCContext: Sendable {
    public let method: MethodDescriptor
    public let metadata: RPCMetadata
    /// When the client stops waiting (`grpc-timeout`); the call is cancelled then.
    public let deadline: ContinuousClock.Instant?
    public let wireProtocol: WireProtocol

    public init(method: MethodDescriptor, metadata: RPCMetadata, deadline: ContinuousClock.Instant?, wireProtocol: WireProtocol) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.wireProtocol = wireProtocol
    }
}
