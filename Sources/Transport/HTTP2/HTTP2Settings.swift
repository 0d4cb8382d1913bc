/// What the server announces in its SETTINGS preface and enforces itself.
public struct HTTP2Settings: Sendable {
    /// SETTINGS_MAX_CONCURRENT_STREAMS: streams a client may have open at once. nghttp2
    /// refuses streams over it (RST_STREAM REFUSED_STREAM before the client acknowledged it).
    public var maxConcurrentStreams: UInt32 = 100
    /// SETTINGS_INITIAL_WINDOW_SIZE for each stream, and the size the connection window is
    /// raised to: a 4 MiB gRPC message should not wait on WINDOW_UPDATE round trips.
    public var initialWindowSize: UInt32 = 1 << 20
    /// SETTINGS_MAX_HEADER_LIST_SIZE. nghttp2 1.52 only advertises it, so the session also
    /// counts name + value + 32 per field (RFC 9113 §6.5.2) and rejects larger requests.
    public var maxHeaderListSize: UInt32 = 16 << 10
    /// Request body bytes a connection may hold, credited back to the client, for requests in
    /// progress (`RequestBodyCredit`); past it the client's windows stay closed until handlers
    /// finish. At least the largest request a handler accepts (a 4 MiB gRPC message and its
    /// prefix), or such a request could never complete.
    public var maxBufferedRequestBytes = (4 << 20) + (64 << 10)

    public init() {}
}
