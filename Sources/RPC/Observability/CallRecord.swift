import Transport


/// What one request needs when it ends: which method it was, how it came, when it started
/// and its id, to count it, time it and log it. Made when the request head arrives.
public struct CallRecord: Sendable {
    /// Unowned: instruments are never freed, and a strong reference would be a reference
    /// count that every core's requests update, one cache-line transfer each.
    unowned(unsafe) let instruments: MethodInstruments
    let transport: WireProtocol
    let start: ContinuousClock.Instant
    public let requestID: String

    init(instruments: MethodInstruments, transport: WireProtocol, requestID: String) {
        self.instruments = instruments
        self.transport = transport
        self.start = .now
        self.requestID = requestID
    }

    /// Counts and times the request, and logs it at debug level (an access log for whoever
    /// sets LOG_LEVEL=debug; at the default level it costs one level check).
    func finished(_ code: RPCError.Code) {
        self.instruments.record(code: code, transport: self.transport, since: self.start)
        self.instruments.logger.debug(
            "request finished",
            metadata: [
                "request_id": "\(self.requestID)", "method": "\(self.instruments.method)", "code": "\(code)",
                "transport": "\(self.transport.rawValue)",
                "duration_ms": "\(Double((ContinuousClock.now - self.start) / .microseconds(1)) / 1000)",
            ])
    }

    /// Writes a whole answer with the request id added to its head, then counts it under
    /// `code`. For REST, where several places answer; gRPC answers through `GRPCCall`.
    func respond(_ parts: [ResponsePart], code: RPCError.Code, through writer: ResponseWriter) {
        writer.write(parts.stamped(requestID: self.requestID))
        self.finished(code)
    }
}
