import CNGHTTP2
import NIOCore

/// Submitting responses. Called outside nghttp2 callbacks, then the owner drains output.
extension NGHTTP2Session {
    /// Sends response headers; body and trailers follow through the data provider.
    /// Returns false when the stream is gone (reset by the client, or already answered).
    @discardableResult
    func submitResponse(streamID: Int32, head: ResponseHead) -> Bool {
        guard let stream = self.streams[streamID], !stream.responseSubmitted else { return false }
        stream.responseSubmitted = true
        stream.resetsUnfinishedRequest = head.resetsUnfinishedRequest
        var provider = nghttp2_data_provider(
            source: nghttp2_data_source(ptr: nil), read_callback: NGHTTP2Session.readResponseBody)
        let rv = Self.withNameValues(status: head.status, fields: head.headers) { nva, count in
            nghttp2_submit_response(self.rawSession, streamID, nva, count, &provider)
        }
        return rv == 0
    }

    /// Sends a response that is nothing but one HEADERS frame with END_STREAM: gRPC's
    /// Trailers-Only form, or a bodiless HTTP answer.
    @discardableResult
    func submitHeadersOnlyResponse(streamID: Int32, head: ResponseHead) -> Bool {
        guard let stream = self.streams[streamID], !stream.responseSubmitted else { return false }
        stream.responseSubmitted = true
        stream.resetsUnfinishedRequest = head.resetsUnfinishedRequest
        stream.bodyEnded = true
        let rv = Self.withNameValues(status: head.status, fields: head.headers) { nva, count in
            nghttp2_submit_response(self.rawSession, streamID, nva, count, nil)
        }
        return rv == 0
    }

    func enqueueBody(streamID: Int32, _ buffer: ByteBuffer) {
        guard let stream = self.streams[streamID], stream.responseSubmitted, !stream.bodyEnded else { return }
        stream.pendingBody.append(buffer)
        self.queuedResponseBytes += buffer.readableBytes
        self.resumeIfDeferred(streamID: streamID, stream)
    }

    /// Ends the response, with trailers (a HEADERS frame with END_STREAM) or without
    /// (END_STREAM on the last DATA frame).
    func finishResponse(streamID: Int32, trailers: HTTPFields?) {
        guard let stream = self.streams[streamID], stream.responseSubmitted, !stream.bodyEnded else { return }
        stream.bodyEnded = true
        stream.trailers = trailers
        self.resumeIfDeferred(streamID: streamID, stream)
    }

    /// RST_STREAM: drops whatever of the response is not sent yet.
    func resetStream(streamID: Int32, errorCode: UInt32) {
        guard self.streams[streamID] != nil else { return }
        _ = nghttp2_submit_rst_stream(self.rawSession, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, errorCode)
    }

    private func resumeIfDeferred(streamID: Int32, _ stream: Stream) {
        guard stream.deferred else { return }
        stream.deferred = false
        _ = nghttp2_session_resume_data(self.rawSession, streamID)
    }

    /// nghttp2 asks for up to `length` bytes of the body of `streamID`.
    fileprivate func readBody(
        streamID: Int32, into destination: UnsafeMutablePointer<UInt8>, length: Int,
        flags: UnsafeMutablePointer<UInt32>
    ) -> Int {
        guard let stream = self.streams[streamID] else {
            return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        var written = 0
        while written < length, var chunk = stream.pendingBody.first {
            let count = min(chunk.readableBytes, length - written)
            chunk.withUnsafeReadableBytes { source in
                guard count > 0, let base = source.baseAddress else { return }
                UnsafeMutableRawPointer(destination + written).copyMemory(from: base, byteCount: count)
            }
            chunk.moveReaderIndex(forwardBy: count)
            written += count
            if chunk.readableBytes == 0 {
                stream.pendingBody.removeFirst()
            } else {
                stream.pendingBody[0] = chunk
            }
        }
        self.queuedResponseBytes -= written
        self.sentResponseBytes += written
        if stream.pendingBody.isEmpty {
            if stream.bodyEnded {
                flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
                if let trailers = stream.trailers {
                    flags.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
                    // Allowed inside the read callback (nghttp2.h): the trailers follow this DATA.
                    _ = Self.withNameValues(status: nil, fields: trailers) { nva, count in
                        nghttp2_submit_trailer(self.rawSession, streamID, nva, count)
                    }
                }
            } else if written == 0 {
                stream.deferred = true
                return Int(NGHTTP2_ERR_DEFERRED.rawValue)
            }
        }
        return written
    }

    fileprivate static let readResponseBody: nghttp2_data_source_read_callback = {
        _, streamID, destination, length, flags, _, userData in
        guard let userData, let destination, let flags else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
        return Unmanaged<NGHTTP2Session>.fromOpaque(userData)._withUnsafeGuaranteedRef { session in
            session.readBody(streamID: streamID, into: destination, length: length, flags: flags)
        }
    }

    /// Lays names and values out in one contiguous scratch buffer (on the stack when small)
    /// and points an `nghttp2_nv` array into it for the duration of `body`; nghttp2 copies
    /// them. Values are stripped of CR, LF and NUL: nghttp2 does not validate what it sends.
    static func withNameValues<Result>(
        status: Int?, fields: HTTPFields, _ body: (UnsafePointer<nghttp2_nv>?, Int) -> Result
    ) -> Result {
        let statusText = status.map { String($0) }
        let byteCount = (statusText.map { 7 + $0.utf8.count } ?? 0) + fields.byteCount
        let fieldCount = fields.count + (status == nil ? 0 : 1)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(byteCount, 1)) { bytes in
            withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: max(fieldCount, 1)) { nva in
                guard let base = bytes.baseAddress, let nvBase = nva.baseAddress else { return body(nil, 0) }
                var offset = 0
                var count = 0
                func copy(_ text: some Sequence<UInt8>, stripping: Bool) -> Int {
                    let start = offset
                    for byte in text where !stripping || (byte != 0x0D && byte != 0x0A && byte != 0x00) {
                        base[offset] = byte
                        offset += 1
                    }
                    return start
                }
                func add(_ name: some Collection<UInt8>, _ value: some Sequence<UInt8>) {
                    let flags = Self.isNeverIndexed(name) ? NGHTTP2_NV_FLAG_NO_INDEX : NGHTTP2_NV_FLAG_NONE
                    let nameStart = copy(name, stripping: false)
                    let valueStart = copy(value, stripping: true)
                    (nvBase + count).initialize(
                        to: nghttp2_nv(
                            name: base + nameStart, value: base + valueStart, namelen: valueStart - nameStart,
                            valuelen: offset - valueStart, flags: UInt8(flags.rawValue)))
                    count += 1
                }
                if let statusText { add(":status".utf8, statusText.utf8) }
                fields.forEachRaw { name, value in add(name, value) }
                return body(nvBase, count)
            }
        }
    }

    private static let requestIDName = Array("x-request-id".utf8)

    /// Fields whose value differs in every response (`x-request-id`) are sent as literals
    /// without indexing (RFC 7541 §6.2.2): indexing them would only evict the fields that do
    /// repeat (`content-type`, `grpc-status`) from both sides' HPACK tables, request after
    /// request.
    static func isNeverIndexed(_ name: some Collection<UInt8>) -> Bool {
        name.count == Self.requestIDName.count && name.elementsEqual(Self.requestIDName)
    }
}
