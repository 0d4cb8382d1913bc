#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Transport

/// What one request needs when it ends: which method it was, how it came, when it started
/// and its id, to count it, time it and log it. Made when the request head arrives.
///
/// Trivially copyable on purpose: the start is raw monotonic nanoseconds rather than a
/// `ContinuousClock.Instant` (a resilient type, copied through value witnesses), and the
/// instruments are unowned.
public struct CallRecord: Sendable {
    /// Unowned: instruments are never freed, and a strong reference would be a reference
    /// count that every core's requests update, one cache-line transfer each.
    unowned(unsafe) let instruments: MethodInstruments
    let transport: WireProtocol
    let startNanoseconds: Int64
    public let requestID: String

    init(instruments: MethodInstruments, transport: WireProtocol, requestID: String) {
        self.instruments = instruments
        self.transport = transport
        self.startNanoseconds = Self.monotonicNanoseconds()
        self.requestID = requestID
    }

    /// CLOCK_MONOTONIC, the clock `ContinuousClock` reads on Linux, in nanoseconds.
    static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
    }

    /// Counts and times the request, and logs it at debug level (an access log for whoever
    /// sets LOG_LEVEL=debug; otherwise it costs one boolean test).
    func finished(_ code: RPCError.Code) {
        let elapsed = max(0, Self.monotonicNanoseconds() &- self.startNanoseconds)
        self.instruments.record(code: code, transport: self.transport, nanoseconds: elapsed)
        guard self.instruments.logsRequests else { return }
        self.instruments.logger.debug(
            "request finished",
            metadata: [
                "request_id": "\(self.requestID)", "method": "\(self.instruments.method)", "code": "\(code)",
                "transport": "\(self.transport.rawValue)", "duration_ms": "\(Double(elapsed / 1000) / 1000)",
            ])
    }

    /// Writes a whole answer with the request id added to its head, then counts it under
    /// `code`. For REST, where several places answer; gRPC answers through `GRPCCall`.
    func respond(_ parts: [ResponsePart], code: RPCError.Code, through writer: ResponseWriter) {
        writer.write(parts.stamped(requestID: self.requestID))
        self.finished(code)
    }
}
