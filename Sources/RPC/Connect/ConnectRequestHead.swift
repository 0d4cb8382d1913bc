import Foundation
import NIOCore
import ProtoWire
import Transport

/// A Connect request that cannot be served, with the HTTP status connect-go answers it with
/// where that is more exact than the code's (405, 415).
struct ConnectRefusal: Error {
    var error: RPCError
    var status: Int?
    var headers = HTTPFields()

    init(_ code: RPCError.Code, _ message: String, status: Int? = nil, headers: HTTPFields = HTTPFields()) {
        self.error = RPCError(code, message)
        self.status = status
        self.headers = headers
    }
}

/// What the head of a Connect unary request says: codec, compression, deadline, and for a GET
/// the message itself (connectrpc.com/docs/protocol, "Unary-Request" and "Unary-Get-Request").
struct ConnectRequestHead {
    enum Codec {
        case proto
        case json

        var encoding: MessageEncoding { self == .proto ? .protobuf : .json }
        var contentType: String { self == .proto ? "application/proto" : "application/json" }
    }

    var codec: Codec
    var isGzipped: Bool
    var timeout: Duration?
    /// A GET's request message, from its query; nil for a POST, whose body is the message.
    var queryMessage: ByteBuffer?

    /// `application/proto` or `application/json`, parameters (charset) allowed.
    static func codec(contentType: String) -> Codec? {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        switch mediaType.trimmingCharacters(in: .whitespaces).lowercased() {
        case "application/proto": return .proto
        case "application/json": return .json
        default: return nil
        }
    }

    static func post(_ head: RequestHead, codec: Codec) throws(ConnectRefusal) -> ConnectRequestHead {
        try Self.checkProtocolVersion(head.headers["connect-protocol-version"], expected: "1", name: "connect-protocol-version")
        return ConnectRequestHead(
            codec: codec, isGzipped: try Self.isGzipped(head.headers["content-encoding"], name: "content-encoding"),
            timeout: try Self.timeout(head.headers), queryMessage: nil)
    }

    /// `?encoding=json|proto&message=…[&base64=1][&compression=gzip][&connect=v1]`, in any
    /// order; unknown parameters are ignored. A binary or compressed message must be base64.
    static func get(_ head: RequestHead) throws(ConnectRefusal) -> ConnectRequestHead {
        var parameters: [String: String] = [:]
        if let queryStart = head.path.firstIndex(of: "?") {
            for pair in head.path[head.path.index(after: queryStart)...].split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let key = PercentDecoding.decode(parts[0], plusIsSpace: true),
                    let value = PercentDecoding.decode(parts.count > 1 ? parts[1] : "", plusIsSpace: true)
                else {
                    throw ConnectRefusal(.invalidArgument, "malformed query parameter: \(ClientText.quoted(String(pair)))")
                }
                parameters[key] = value
            }
        }
        try Self.checkProtocolVersion(parameters["connect"], expected: "v1", name: "connect")
        let codec: Codec
        switch parameters["encoding"] {
        case "proto": codec = .proto
        case "json": codec = .json
        case let other:
            throw ConnectRefusal(
                .invalidArgument,
                "a Connect GET needs encoding=json or encoding=proto, not \(ClientText.quoted(other ?? "(none)"))",
                status: 415)
        }
        let isGzipped = try Self.isGzipped(parameters["compression"], name: "compression")
        let isBase64 = parameters["base64"] == "1"
        let text = parameters["message"] ?? ""
        let message: ByteBuffer
        if isBase64 {
            guard let bytes = Base64.decode(text) else {
                throw ConnectRefusal(.invalidArgument, "the message parameter is not valid base64")
            }
            message = ByteBuffer(bytes: bytes)
        } else {
            guard codec == .json, !isGzipped else {
                throw ConnectRefusal(.invalidArgument, "a binary or compressed message needs base64=1")
            }
            message = ByteBuffer(string: text)
        }
        return ConnectRequestHead(
            codec: codec, isGzipped: isGzipped, timeout: try Self.timeout(head.headers), queryMessage: message)
    }

    private static func checkProtocolVersion(_ value: String?, expected: String, name: String) throws(ConnectRefusal) {
        guard let value, value != expected else { return }
        throw ConnectRefusal(
            .invalidArgument, "\(name) must be \(ClientText.quoted(expected)), not \(ClientText.quoted(value))")
    }

    /// `gzip` or `identity` (or nothing); anything else is UNIMPLEMENTED, naming what is.
    private static func isGzipped(_ value: String?, name: String) throws(ConnectRefusal) -> Bool {
        switch value?.lowercased() {
        case nil, "", "identity": return false
        case "gzip": return true
        case let other?:
            throw ConnectRefusal(
                .unimplemented, "\(name) \(ClientText.quoted(other)) is not supported; use gzip or identity",
                headers: ["accept-encoding": "gzip"])
        }
    }

    /// `connect-timeout-ms`, read as for streaming calls.
    private static func timeout(_ headers: HTTPFields) throws(ConnectRefusal) -> Duration? {
        do throws(RPCError) {
            return try FramedDialect.connect.timeout(headers)
        } catch {
            throw ConnectRefusal(error)
        }
    }
}
