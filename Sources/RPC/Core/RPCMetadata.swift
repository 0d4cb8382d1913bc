import Foundation
public import Transport

/// Request metadata: the request's headers without the ones the protocol itself consumes
/// (`content-type`, `te`, `grpc-*`, …). Names are lower case. A view over the request's
/// fields, filtered when read, so building it costs nothing per call.
public struct RPCMetadata: Sendable {
    private let requestHeaders: HTTPFields

    public init(requestHeaders: HTTPFields) { self.requestHeaders = requestHeaders }

    /// Headers no handler needs to see as metadata.
    static func isReserved(_ name: String) -> Bool {
        name.hasPrefix("grpc-") || name == "content-type" || name == "te" || name == "content-length"
            || name == "connection" || name == "host"
    }

    /// Every metadata entry, in request order.
    public var fields: HTTPFields {
        var fields = HTTPFields()
        for field in self.requestHeaders where !Self.isReserved(field.name) { fields.append(field.name, field.value) }
        return fields
    }

    /// The first text value of `key`.
    public subscript(key: String) -> String? {
        Self.isReserved(key) ? nil : self.requestHeaders[key]
    }

    /// Every text value of `key`, in order (HTTP/2 may split one header, such as `cookie`,
    /// into several fields).
    public func values(_ key: String) -> [String] {
        Self.isReserved(key) ? [] : self.requestHeaders.values(for: key)
    }

    /// Values of a `-bin` key, base64-decoded. gRPC allows padded and unpadded base64 and
    /// several values joined by commas; a value that is not base64 is skipped.
    public func binaryValues(_ key: String) -> [[UInt8]] {
        guard !Self.isReserved(key) else { return [] }
        return self.requestHeaders.values(for: key).flatMap { $0.split(separator: ",") }.compactMap { encoded in
            var text = encoded.trimmingCharacters(in: .whitespaces)
            text += String(repeating: "=", count: (4 - text.count % 4) % 4)
            return Data(base64Encoded: text).map { Array($0) }
        }
    }
}
