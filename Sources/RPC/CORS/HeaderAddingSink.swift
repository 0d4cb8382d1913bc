import Transport

/// Adds fields to the head of one response, whichever protocol handler writes it (the CORS
/// headers of a cross-origin request). Everything else passes through unchanged.
final class HeaderAddingSink: ResponseSink {
    private let inner: ResponseWriter
    private let fields: HTTPFields

    init(inner: ResponseWriter, fields: HTTPFields) {
        self.inner = inner
        self.fields = fields
    }

    func write(_ parts: [ResponsePart], streamID: Int32) {
        self.inner.write(
            parts.map { part in
                guard case .head(var head) = part else { return part }
                head.headers.append(contentsOf: self.fields)
                return .head(head)
            })
    }

    func reset(streamID: Int32, reason: StreamResetReason) { self.inner.reset(reason) }
    func workStarted(streamID: Int32) { self.inner.workStarted() }
    func workFinished(streamID: Int32) { self.inner.workFinished() }
}

extension ResponseWriter {
    /// A writer for the same response that adds `fields` to its head.
    func adding(_ fields: HTTPFields) -> ResponseWriter {
        ResponseWriter(sink: HeaderAddingSink(inner: self, fields: fields), streamID: 0)
    }
}
