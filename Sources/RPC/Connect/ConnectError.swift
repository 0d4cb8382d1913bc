import NIOCore
import ProtoWire
import Transport

/// The Connect protocol's error: `{"code": "not_found", "message": "…"}` with an HTTP status
/// from the protocol's own table. Connect clients read the code from the body (a string, not
/// the number REST uses), so the two renderers stay apart even where the statuses agree.
enum ConnectError {
    /// connectrpc.com/docs/protocol, "Error Codes": one literal table, as connect-go keeps it.
    static func httpStatus(_ code: RPCError.Code) -> Int {
        switch code.rawValue {
        case 1: return 499  // canceled
        case 3, 9, 11: return 400  // invalid_argument, failed_precondition, out_of_range
        case 4: return 504  // deadline_exceeded
        case 5: return 404  // not_found
        case 6, 10: return 409  // already_exists, aborted
        case 7: return 403  // permission_denied
        case 8: return 429  // resource_exhausted
        case 12: return 501  // unimplemented
        case 14: return 503  // unavailable
        case 16: return 401  // unauthenticated
        default: return 500  // unknown, internal, data_loss
        }
    }

    /// The code's name in Connect's spelling: gRPC's name in lower snake case, `canceled`
    /// with one L.
    static func name(_ code: RPCError.Code) -> String {
        switch code.rawValue {
        case 1: return "canceled"
        case 2: return "unknown"
        case 3: return "invalid_argument"
        case 4: return "deadline_exceeded"
        case 5: return "not_found"
        case 6: return "already_exists"
        case 7: return "permission_denied"
        case 8: return "resource_exhausted"
        case 9: return "failed_precondition"
        case 10: return "aborted"
        case 11: return "out_of_range"
        case 12: return "unimplemented"
        case 13: return "internal"
        case 14: return "unavailable"
        case 15: return "data_loss"
        case 16: return "unauthenticated"
        default: return "unknown"
        }
    }

    /// The error object: `{"code": …, "message": …}` (message left out when empty).
    static func json(for error: RPCError) -> JSONValue {
        var members = [JSONMember(key: "code", value: .string(Self.name(error.code)))]
        if !error.message.isEmpty {
            members.append(JSONMember(key: "message", value: .string(error.message)))
        }
        return .object(members)
    }

    /// A unary error answer: always `application/json`, whatever the request's codec.
    /// `status` overrides the table where HTTP has a more exact answer (405, 415).
    static func parts(for error: RPCError, status: Int? = nil, extraHeaders: HTTPFields = HTTPFields()) -> [ResponsePart] {
        var headers: HTTPFields = ["content-type": "application/json"]
        headers.append(contentsOf: extraHeaders)
        return [
            .head(ResponseHead(status: status ?? Self.httpStatus(error.code), headers: headers)),
            .body(ByteBuffer(bytes: Self.json(for: error).serializedUTF8Bytes())), .end(trailers: nil),
        ]
    }
}
