import NIOCore

extension RESTResponse {
    /// The contract's REST error (`{"code", "message", "details": []}` with the mapped HTTP
    /// status, and `Retry-After` when it has one), for endpoints that answer their own errors,
    /// such as webhooks. `status` overrides the mapped status where HTTP has a more exact one
    /// (413, 415).
    public static func error(_ error: RPCError, status: Int? = nil) -> RESTResponse {
        RESTResponse(
            status: status ?? error.code.httpStatus, headers: RESTErrorBody.headers(for: error),
            body: ByteBuffer(bytes: RESTErrorBody.json(for: error)))
    }
}
