import NIOCore

/// What nghttp2's callbacks saw during one `receive` or `drainOutput`. Callbacks only queue
/// these: acting on them may submit frames, which must not happen while nghttp2 is inside
/// `mem_recv`/`mem_send`.
enum HTTP2SessionEvent {
    /// The client's first SETTINGS frame: its preface is complete.
    case prefaceReceived
    /// A request's header block began (its HEADERS frame); it must end within the header timeout.
    case headerBlockStarted
    /// A complete request header block (HEADERS plus CONTINUATIONs).
    case requestHead(streamID: Int32, RequestHead)
    /// A request whose header block was over `maxHeaderListSize`; its fields were dropped.
    case requestHeadTooLarge(streamID: Int32)
    case body(streamID: Int32, ByteBuffer)
    /// The client half-closed the stream (END_STREAM on HEADERS or DATA).
    case requestEnded(streamID: Int32)
    /// The stream is gone. `errorCode` 0 is a normal close; anything else (CANCEL = 8 from a
    /// client, or a reset we sent) means the response did not complete.
    case streamClosed(streamID: Int32, errorCode: UInt32)
    /// The peer acknowledged our PING (used to time the second GOAWAY of a graceful close).
    case pingAcknowledged
}
