public import Logging

extension RESTRequest {
    /// An `RPCContext` for an `.endpoint` route that authenticates like the RPCs do (the same
    /// `authorization` header or `__session` cookie, read from the request's metadata). `name`
    /// stands in for the method in logs ("POST /api/v1/calendly-sync").
    public func rpcContext(named name: String, logger: Logger) -> RPCContext {
        RPCContext(
            method: MethodDescriptor(service: "rest", method: name), metadata: RPCMetadata(requestHeaders: self.head.headers),
            deadline: nil, wireProtocol: .rest, logger: logger, requestID: self.requestID)
    }
}
