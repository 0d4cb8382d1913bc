public import NIOCore

/// How much of the server one connection, and one peer, may hold, and for how long. The port
/// is public (webhooks come from the internet), so every bound here applies before anyone is
/// authenticated.
public struct ConnectionLimits: Sendable {
    /// The HTTP/2 preface (magic and first SETTINGS) or an HTTP/1.1 request head, and on HTTP/2
    /// every request's header block, must arrive within this long of its first byte
    /// (`HEADER_TIMEOUT_SECONDS`).
    public var headerTimeout: TimeAmount = .seconds(10)
    /// A connection with no request in progress for this long is closed; HTTP/2 says GOAWAY
    /// first (`IDLE_TIMEOUT_SECONDS`).
    public var idleTimeout: TimeAmount = .seconds(120)
    /// A request's body must be complete this long after its head (`BODY_TIMEOUT_SECONDS`).
    /// A deadline rather than a minimum rate: every body this service accepts is at most a few
    /// MiB, so one deadline bounds how long a client can hold a handler and its buffer.
    public var bodyTimeout: TimeAmount = .seconds(30)
    /// Open connections in all (`MAX_CONNECTIONS`); more are closed as they are accepted.
    public var maxConnections = 10_000
    /// Open connections from one peer (`MAX_CONNECTIONS_PER_PEER`): one IPv4 address, or one
    /// IPv6 /64, since one IPv6 host usually owns a whole /64.
    public var maxConnectionsPerPeer = 100
    /// Requests one connection may have in progress: open streams plus streams the client reset
    /// whose handlers have not finished yet. On HTTP/2 a stream over it is refused
    /// (RST_STREAM REFUSED_STREAM, which clients retry); it matches the advertised
    /// SETTINGS_MAX_CONCURRENT_STREAMS, so a client that waits for its handlers never meets it.
    public var maxRequestsPerConnection = 100
    /// Response bytes queued on a socket above which the connection stops reading until they
    /// drain below the low mark: a client that sends without reading stalls itself.
    public var writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 32 << 10, high: 128 << 10)

    public init() {}
}
