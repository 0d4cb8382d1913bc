import CNGHTTP2
import NIOCore

/// Owns one `nghttp2_session*` for one connection and translates between it and Swift.
///
/// Confined to its channel's event loop (not Sendable). nghttp2 must never be re-entered:
/// callbacks only record `HTTP2SessionEvent`s and touch per-stream state, and the owner acts
/// on `takeEvents()` after `receive`/`drainOutput` return.
final class NGHTTP2Session {
    /// Errors nghttp2 reports as fatal for the whole connection.
    struct SessionError: Error, CustomStringConvertible {
        let code: Int
        var description: String { String(cString: nghttp2_strerror(Int32(truncatingIfNeeded: self.code))) }
    }

    /// Per-stream state: the request head being collected and the response being sent.
    final class Stream {
        var headers = HTTPFields()
        var method: String?
        var path: String?
        var authority: String?
        var headerListSize = 0
        var headersTooLarge = false
        var requestHeadDelivered = false

        var responseSubmitted = false
        var resetsUnfinishedRequest = false
        /// Usually one buffer (a unary response): an array, which costs nothing while empty.
        var pendingBody: [ByteBuffer] = []
        var bodyEnded = false
        var trailers: HTTPFields?
        /// The read callback returned NGHTTP2_ERR_DEFERRED and waits for `resume_data`.
        var deferred = false

        func dropCollectedHead() {
            self.headers = HTTPFields()
            self.method = nil
            self.path = nil
            self.authority = nil
        }
    }

    // Owned: created in init, deleted in deinit; only used on the event loop.
    private let session: OpaquePointer
    let allocator: ByteBufferAllocator
    let maxHeaderListSize: Int
    var streams = StreamTable<Stream>()
    /// The stream whose header block is being received; see `receivingHeaders`.
    var headerStream: (id: Int32, stream: Stream)?
    var events: [HTTP2SessionEvent] = []
    /// The buffer inside `mem_recv` and the address of its readable bytes, so that DATA can be
    /// sliced out of it instead of copied.
    private(set) var input: (buffer: ByteBuffer, base: UnsafeRawPointer, count: Int)?

    init(settings: HTTP2Settings, allocator: ByteBufferAllocator) throws {
        self.allocator = allocator
        self.maxHeaderListSize = Int(settings.maxHeaderListSize)

        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0, let callbacks else {
            throw SessionError(code: Int(NGHTTP2_ERR_NOMEM.rawValue))
        }
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.install(into: callbacks)

        var option: OpaquePointer?
        guard nghttp2_option_new(&option) == 0, let option else {
            throw SessionError(code: Int(NGHTTP2_ERR_NOMEM.rawValue))
        }
        defer { nghttp2_option_del(option) }
        // Flow control by hand (`RequestBodyCredit`): windows reopen as handlers finish, not
        // as soon as bytes arrive.
        nghttp2_option_set_no_auto_window_update(option, 1)
        // Closed streams stay known (at most as many as MAX_CONCURRENT_STREAMS): a frame on a
        // closed stream is then the STREAM_CLOSED error RFC 9113 §5.1 asks for, not ignored.

        var session: OpaquePointer?
        // `self` is not fully initialised yet, so the user data is set right after.
        let rv = nghttp2_session_server_new2(&session, callbacks, nil, option)
        guard rv == 0, let session else { throw SessionError(code: Int(rv)) }
        self.session = session
        nghttp2_session_set_user_data(session, Unmanaged.passUnretained(self).toOpaque())

        try self.submitSettings(settings)
    }

    deinit {
        nghttp2_session_del(self.session)
    }

    private func submitSettings(_ settings: HTTP2Settings) throws {
        var entries = [
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                value: settings.maxConcurrentStreams),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                value: settings.initialWindowSize),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
                value: settings.maxHeaderListSize),
        ]
        let rv = nghttp2_submit_settings(self.session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entries, entries.count)
        guard rv == 0 else { throw SessionError(code: Int(rv)) }
        // SETTINGS cannot enlarge the connection window; this sends a WINDOW_UPDATE for stream 0.
        let windowRV = nghttp2_session_set_local_window_size(
            self.session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, Int32(settings.initialWindowSize))
        guard windowRV == 0 else { throw SessionError(code: Int(windowRV)) }
    }

    /// Feeds received bytes to nghttp2. Callbacks run inside; read `takeEvents()` after.
    /// Throws when the connection is beyond saving; a GOAWAY may still be queued, so the
    /// caller drains output once before closing.
    func receive(_ buffer: ByteBuffer) throws(SessionError) {
        let rv = buffer.withUnsafeReadableBytes { bytes -> Int in
            guard let base = bytes.baseAddress else { return 0 }
            self.input = (buffer, base, bytes.count)
            defer { self.input = nil }
            return nghttp2_session_mem_recv(self.session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        if rv < 0 { throw SessionError(code: rv) }
    }

    /// Copies everything nghttp2 wants to send into `buffer`. nghttp2's pointer is only valid
    /// until its next call, so each chunk is copied at once. Callbacks may run (frame sent,
    /// stream closed, data read); read `takeEvents()` after.
    func drainOutput(into buffer: inout ByteBuffer) throws {
        while true {
            var chunk: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(self.session, &chunk)
            if count < 0 { throw SessionError(code: count) }
            guard count > 0, let chunk else { return }
            buffer.writeBytes(UnsafeRawBufferPointer(start: chunk, count: count))
        }
    }

    /// The bytes of a DATA chunk: a slice of the input when they lie in it (the usual case),
    /// else a copy.
    func dataChunk(_ data: UnsafePointer<UInt8>, count: Int) -> ByteBuffer {
        if let input = self.input {
            let offset = UnsafeRawPointer(data) - input.base
            if offset >= 0, offset + count <= input.count,
                let slice = input.buffer.getSlice(at: input.buffer.readerIndex + offset, length: count)
            {
                return slice
            }
        }
        var buffer = self.allocator.buffer(capacity: count)
        buffer.writeBytes(UnsafeRawBufferPointer(start: data, count: count))
        return buffer
    }

    func takeEvents() -> [HTTP2SessionEvent] {
        defer { self.events.removeAll(keepingCapacity: true) }
        return self.events
    }

    /// True while nghttp2 still expects to read or write; both false means the connection
    /// has finished (after GOAWAY with no streams left, or a fatal error).
    var isActive: Bool {
        nghttp2_session_want_read(self.session) != 0 || nghttp2_session_want_write(self.session) != 0
    }

    var hasOpenStreams: Bool { !self.streams.isEmpty }

    /// Response body bytes handed to streams and not yet taken by nghttp2: waiting on the
    /// client's flow-control windows (or for the next drain).
    var queuedResponseBytes = 0
    /// Response body bytes nghttp2 has taken, ever: the connection's progress.
    var sentResponseBytes = 0

    /// The highest stream id the client has opened; a HEADERS frame below it that opens no
    /// stream nghttp2 knows is a connection error (`beginFrame`).
    var highestClientStreamID: Int32 = 0
    /// The client's first SETTINGS frame has been seen.
    var prefaceReceived = false

    /// Credits `count` processed body bytes to the stream's and the connection's windows (the
    /// connection's only, once the stream is closed).
    func consume(streamID: Int32, count: Int) {
        _ = nghttp2_session_consume(self.session, streamID, count)
    }

    /// GOAWAY with the last processed stream and `errorCode`; the connection ends once it is
    /// sent (`isActive` turns false).
    func terminate(errorCode: UInt32) {
        _ = nghttp2_session_terminate_session(self.session, errorCode)
    }

    /// After `receive` failed: some fatal errors queue their own GOAWAY, others (too many
    /// CONTINUATIONs, a flood of unanswered SETTINGS or PINGs) leave the connection to be
    /// dropped silently. The client is told why first (RFC 9113 §5.4.1); a GOAWAY already queued
    /// wins, since nghttp2 sends only the first.
    func terminate(after error: SessionError) {
        let code: UInt32
        switch Int32(truncatingIfNeeded: error.code) {
        case NGHTTP2_ERR_TOO_MANY_CONTINUATIONS.rawValue, NGHTTP2_ERR_FLOODED.rawValue, NGHTTP2_ERR_CALLBACK_FAILURE.rawValue:
            code = NGHTTP2_ENHANCE_YOUR_CALM.rawValue
        case NGHTTP2_ERR_NOMEM.rawValue:
            code = NGHTTP2_INTERNAL_ERROR.rawValue
        default:
            code = NGHTTP2_PROTOCOL_ERROR.rawValue
        }
        self.terminate(errorCode: code)
    }

    // MARK: graceful shutdown (RFC 9113 §6.8, the grpc-go pattern)

    /// First step of a graceful close: GOAWAY(last = 2^31-1) tells the client to open no new
    /// streams, and a PING lets us know when it has seen that.
    func startGracefulShutdown() {
        _ = nghttp2_submit_shutdown_notice(self.session)
        var opaque: [UInt8] = Array("drain...".utf8)
        _ = nghttp2_submit_ping(self.session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &opaque)
    }

    /// Second step: GOAWAY with the real last stream id; streams above it were never processed
    /// and the client may retry them elsewhere. Open streams still finish.
    func sendFinalGoAway() {
        let last = nghttp2_session_get_last_proc_stream_id(self.session)
        _ = nghttp2_submit_goaway(
            self.session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, NGHTTP2_NO_ERROR.rawValue, nil, 0)
    }

    var rawSession: OpaquePointer { self.session }

    /// Runs `body` with the Swift object behind nghttp2's user data, inside a callback. The
    /// session outlives every callback (nghttp2_session_del runs in its deinit), so the
    /// reference is borrowed without retain/release: these callbacks run a dozen times a request.
    static func with(_ userData: UnsafeMutableRawPointer?, _ body: (NGHTTP2Session) -> Int32) -> Int32 {
        guard let userData else { return 0 }
        return Unmanaged<NGHTTP2Session>.fromOpaque(userData)._withUnsafeGuaranteedRef(body)
    }
}
