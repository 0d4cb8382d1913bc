import NIOCore

extension RESTResponse {
    /// The contract's REST error (`{"code", "message", "details": []}` with the mapped HTTP
    /// status), for endpoints that answer their own errors, such as webhooks.
    public static func error(_ error: RPCError) -> RESTResponse {
        RESTResponse(
            status: error.code.httpStatus, headers: ["content-type": "application/json"],
            body: ByteBuffer(bytes: RESTErrorBody.json(for: error)))
    }
}
