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
    /// Request body bytes a connection may have received for requests that have not ended.
    /// nghttp2 reopens flow-control windows as soon as it hands data over, so without this a
    /// client could make one connection hold 100 streams × 4 MiB before any handler (or its
    /// authentication) runs. A stream that would pass it is reset with ENHANCE_YOUR_CALM.
    public var maxBufferedRequestBytes = 16 << 20

    public init() {}
}
