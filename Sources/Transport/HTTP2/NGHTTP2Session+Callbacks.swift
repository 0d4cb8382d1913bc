import CNGHTTP2
import NIOCore

/// nghttp2's C callbacks. Each is a non-capturing closure that finds the session through
/// the user data, converts, and forwards; none calls back into `mem_recv`/`mem_send`.
extension NGHTTP2Session {
    static func install(into callbacks: OpaquePointer) {
        nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks) { session, header, userData in
            NGHTTP2Session.with(userData) { owner in
                if let session, let header { owner.beginFrame(header.pointee, in: session) }
                return 0
            }
        }
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            NGHTTP2Session.with(userData) { session in
                if let frame { session.beginHeaders(frame) }
                return 0
            }
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) {
            _, frame, name, nameLength, value, valueLength, _, userData in
            NGHTTP2Session.with(userData) { session in
                guard let frame, let name, let value else { return 0 }
                return session.header(
                    frame,
                    name: UnsafeBufferPointer(start: name, count: nameLength),
                    value: UnsafeBufferPointer(start: value, count: valueLength))
            }
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            NGHTTP2Session.with(userData) { session in
                if let frame { session.frameReceived(frame) }
                return 0
            }
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) {
            _, _, streamID, data, length, userData in
            NGHTTP2Session.with(userData) { session in
                // `data` is only valid during this call: slice the input buffer or copy.
                if let data { session.events.append(.body(streamID: streamID, session.dataChunk(data, count: length))) }
                return 0
            }
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
            NGHTTP2Session.with(userData) { session in
                // The last callback for a stream: its state goes here and only here, since the
                // data read callback may run until now.
                if let stream = session.streams.removeValue(forKey: streamID) {
                    session.queuedResponseBytes -= stream.pendingBody.reduce(0) { $0 + $1.readableBytes }
                }
                if session.headerStream?.id == streamID { session.headerStream = nil }
                session.events.append(.streamClosed(streamID: streamID, errorCode: errorCode))
                return 0
            }
        }
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, userData in
            NGHTTP2Session.with(userData) { session in
                if let frame { session.frameSent(frame) }
                return 0
            }
        }
    }

    /// RFC 9113 §5.1.1: a new stream's id must be above every id the client used before.
    /// nghttp2 only ignores a HEADERS frame below the highest id when it knows no such stream
    /// (it cannot tell a new stream from trailers of one it forgot); it keeps closed streams
    /// (up to MAX_CONCURRENT_STREAMS), so an id it does not know is one the client never
    /// opened, or closed so long ago that trailers for it are a protocol error anyway.
    private func beginFrame(_ header: nghttp2_frame_hd, in session: OpaquePointer) {
        guard header.type == UInt8(NGHTTP2_HEADERS.rawValue), header.stream_id & 1 == 1 else { return }
        if header.stream_id > self.highestClientStreamID {
            self.highestClientStreamID = header.stream_id
        } else if header.stream_id < self.highestClientStreamID,
            nghttp2_session_find_stream(session, header.stream_id) == nil
        {
            _ = nghttp2_session_terminate_session(session, NGHTTP2_PROTOCOL_ERROR.rawValue)
        }
    }

    private func beginHeaders(_ frame: UnsafePointer<nghttp2_frame>) {
        guard frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue),
            frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST
        else { return }
        self.streams[frame.pointee.hd.stream_id] = Stream()
        self.events.append(.headerBlockStarted)
    }

    /// A header list over `maxHeaderListSize` is dropped (the request is answered 431); one
    /// over four times that ends the connection (`CALLBACK_FAILURE`, then GOAWAY
    /// ENHANCE_YOUR_CALM): HPACK lets a 16 KiB block decode to megabytes, each byte an index
    /// into a 4 KiB table entry, and nghttp2 would decode all of it on the event loop.
    private func header(
        _ frame: UnsafePointer<nghttp2_frame>, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>
    ) -> Int32 {
        guard let stream = self.receivingHeaders(frame.pointee.hd.stream_id) else { return 0 }
        stream.headerListSize += name.count + value.count + 32
        if stream.headerListSize > self.maxHeaderListSize {
            if stream.headerListSize > 4 * self.maxHeaderListSize { return NGHTTP2_ERR_CALLBACK_FAILURE.rawValue }
            if !stream.headersTooLarge {
                stream.headersTooLarge = true
                stream.headers = HTTPFields()
            }
            return 0
        }
        // Request trailers (HCAT_HEADERS) carry nothing gRPC or REST use: counted, not kept.
        guard frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST, !stream.headersTooLarge else { return 0 }
        guard name.first == UInt8(ascii: ":") else {
            stream.headers.append(name: name, value: value)
            return 0
        }
        // Pseudo-headers: nghttp2 has validated them and their order.
        switch name.count {
        case 7 where name.elementsEqual(":method".utf8): stream.method = String(decoding: value, as: UTF8.self)
        case 5 where name.elementsEqual(":path".utf8): stream.path = String(decoding: value, as: UTF8.self)
        case 10 where name.elementsEqual(":authority".utf8): stream.authority = String(decoding: value, as: UTF8.self)
        default: break  // :scheme, :protocol
        }
        return 0
    }

    /// The stream a header block belongs to. HEADERS and its CONTINUATIONs arrive back to back,
    /// so the last stream looked up is almost always the one: no dictionary lookup per field.
    private func receivingHeaders(_ streamID: Int32) -> Stream? {
        if let cached = self.headerStream, cached.id == streamID { return cached.stream }
        guard let stream = self.streams[streamID] else { return nil }
        self.headerStream = (streamID, stream)
        return stream
    }

    private func frameReceived(_ frame: UnsafePointer<nghttp2_frame>) {
        let streamID = frame.pointee.hd.stream_id
        let endStream = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        switch UInt32(frame.pointee.hd.type) {
        case NGHTTP2_HEADERS.rawValue:
            if let stream = self.streams[streamID], !stream.requestHeadDelivered,
                frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST
            {
                stream.requestHeadDelivered = true
                if stream.headersTooLarge {
                    self.events.append(.requestHeadTooLarge(streamID: streamID))
                } else {
                    // nghttp2's HTTP messaging checks guarantee :method and :path here.
                    let head = RequestHead(
                        version: .http2, method: stream.method ?? "", path: stream.path ?? "",
                        authority: stream.authority ?? stream.headers["host"], headers: stream.headers)
                    self.events.append(.requestHead(streamID: streamID, head))
                }
                // The stream may live long after its head (a client that never reads its
                // answer): it keeps none of the head's bytes.
                stream.dropCollectedHead()
            }
            if endStream { self.events.append(.requestEnded(streamID: streamID)) }
        case NGHTTP2_DATA.rawValue:
            if endStream { self.events.append(.requestEnded(streamID: streamID)) }
        case NGHTTP2_SETTINGS.rawValue:
            if !self.prefaceReceived, frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 {
                self.prefaceReceived = true
                self.events.append(.prefaceReceived)
            }
        case NGHTTP2_PING.rawValue:
            if frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0 {
                self.events.append(.pingAcknowledged)
            }
        default:
            break
        }
    }

    /// gRPC (PROTOCOL-HTTP2): a server that ends its response before the client ended its
    /// request follows with RST_STREAM(NO_ERROR). Submitting the reset earlier would drop
    /// the unsent response, so it happens here, once the END_STREAM frame is out.
    private func frameSent(_ frame: UnsafePointer<nghttp2_frame>) {
        let type = UInt32(frame.pointee.hd.type)
        guard type == NGHTTP2_HEADERS.rawValue || type == NGHTTP2_DATA.rawValue,
            frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        else { return }
        let streamID = frame.pointee.hd.stream_id
        guard self.streams[streamID]?.resetsUnfinishedRequest == true,
            nghttp2_session_get_stream_remote_close(self.rawSession, streamID) == 0
        else { return }
        _ = nghttp2_submit_rst_stream(
            self.rawSession, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, NGHTTP2_NO_ERROR.rawValue)
    }
}
