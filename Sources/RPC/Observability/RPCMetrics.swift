public import CoreMetrics
public import Logging
import Synchronization

/// Request counts and latencies of every RPC and REST route, through swift-metrics (the app
/// bootstraps the Prometheus backend): `rpc_server_requests_total` and the histogram
/// `rpc_server_duration_seconds`, each labelled `method`, `code` (the gRPC status name; REST
/// routes use the status their HTTP status maps from) and `transport` (`grpc`, `grpc_web`, `connect`, `rest`).
///
/// Handles are made once per method, code and transport and then only read, without a lock
/// or a shared reference count: a request's cost is two clock reads, one atomic load, a
/// counter increment and a histogram record.
public final class RPCMetrics: Sendable {
    public static let requestsTotal = "rpc_server_requests_total"
    public static let durationSeconds = "rpc_server_duration_seconds"
    /// Requests that match no method or route: one label, so clients cannot mint series.
    public static let unknownMethod = "unknown"

    private let factory: any MetricsFactory
    private let logger: Logger
    private let byLabel = Mutex<[String: MethodInstruments]>([:])
    let unknown: MethodInstruments

    /// `factory`: the bootstrapped `MetricsSystem.factory` unless a test passes its own.
    /// `logger` writes the debug access log.
    public init(factory: any MetricsFactory = MetricsSystem.factory, logger: Logger) {
        self.factory = factory
        self.logger = logger
        self.unknown = MethodInstruments(method: Self.unknownMethod, factory: factory, logger: logger)
    }

    /// The instruments of `method` (`package.Service/Method`, or `GET /api/health` for a REST
    /// endpoint), made on first use. Takes a lock: call it when setting up, or off the gRPC path.
    public func instruments(for method: String) -> MethodInstruments {
        self.byLabel.withLock { cache in
            if let existing = cache[method] { return existing }
            let made = MethodInstruments(method: method, factory: self.factory, logger: self.logger)
            cache[method] = made
            return made
        }
    }
}

/// One method's counters and histograms, one pair per status code and transport, each made
/// the first time that combination is seen (so /metrics lists what happened, not every
/// possible combination at zero). Lives as long as the process.
public final class MethodInstruments: Sendable {
    /// The backend's handlers of one method, code and transport. Never freed (`passRetained`
    /// below), and it owns its handlers, so the request path reads them `unowned(unsafe)`:
    /// a reference count shared by every core would cost a cache-line transfer per request.
    final class Handles: Sendable {
        private let owners: [any Sendable & AnyObject]
        unowned(unsafe) let requests: any CounterHandler
        unowned(unsafe) let duration: any TimerHandler

        init(requests: any CounterHandler, duration: any TimerHandler) {
            self.owners = [requests, duration]
            self.requests = requests
            self.duration = duration
        }
    }

    /// A slot is written once (compare-and-exchange from nil) and read with one atomic load.
    /// The handles it points to are retained for the life of the process, like the registry's.
    final class Slot: Sendable {
        let handles = Atomic<Unmanaged<Handles>?>(nil)
    }

    let method: String
    let logger: Logger
    /// Whether `logger` writes the debug access log: decided once, as a Logger's level is
    /// part of its value.
    let logsRequests: Bool
    private let factory: any MetricsFactory
    /// Indexed by `code * protocols + transport`.
    private let slots: [Slot]
    private static let codeCount = 17
    private static let protocolCount = WireProtocol.allCases.count

    init(method: String, factory: any MetricsFactory, logger: Logger) {
        self.method = method
        self.factory = factory
        self.logger = logger
        self.logsRequests = logger.logLevel <= .debug
        self.slots = (0..<(Self.codeCount * Self.protocolCount)).map { _ in Slot() }
        // Never freed: requests hold it `unowned(unsafe)` (see `CallRecord`). A few per method
        // for the life of the process, like the backend's own metrics.
        _ = Unmanaged.passRetained(self)
    }

    /// Counts one finished request that took `nanoseconds`.
    public func record(code: RPCError.Code, transport: WireProtocol, nanoseconds: Int64) {
        self.handles(code: code, transport: transport)._withUnsafeGuaranteedRef { handles in
            handles.requests.increment(by: 1)
            handles.duration.recordNanoseconds(nanoseconds)
        }
    }

    private func handles(code: RPCError.Code, transport: WireProtocol) -> Unmanaged<Handles> {
        // A code outside the canonical 17 (none of ours) is counted as UNKNOWN.
        let code = (0..<Self.codeCount).contains(code.rawValue) ? code : .unknown
        let slot = self.slots[code.rawValue &* Self.protocolCount &+ transport.index]
        if let existing = slot.handles.load(ordering: .acquiring) { return existing }
        let dimensions = [("method", self.method), ("code", "\(code)"), ("transport", transport.rawValue)]
        let made = Unmanaged.passRetained(
            Handles(
                requests: self.factory.makeCounter(label: RPCMetrics.requestsTotal, dimensions: dimensions),
                duration: self.factory.makeTimer(label: RPCMetrics.durationSeconds, dimensions: dimensions)))
        let (exchanged, winner) = slot.handles.compareExchange(
            expected: nil, desired: made, ordering: .acquiringAndReleasing)
        if !exchanged, let winner {  // another thread stored its handles first
            made.release()
            return winner
        }
        return made
    }
}
