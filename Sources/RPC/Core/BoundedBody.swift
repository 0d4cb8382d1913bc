import NIOCore

/// A request body buffered whole, refusing to grow past `limit` bytes (REST bodies, Connect
/// unary messages): the caller answers 413/RESOURCE_EXHAUSTED when `append` says no.
struct BoundedBody {
    let limit: Int
    private var buffer: ByteBuffer?

    init(limit: Int) {
        self.limit = limit
    }

    /// False, and nothing kept, when `bytes` would take the body past the limit.
    mutating func append(_ bytes: ByteBuffer) -> Bool {
        var bytes = bytes
        guard (self.buffer?.readableBytes ?? 0) + bytes.readableBytes <= self.limit else { return false }
        if self.buffer == nil {
            self.buffer = bytes
        } else {
            self.buffer?.writeBuffer(&bytes)
        }
        return true
    }

    /// What arrived, or nil when nothing did.
    var bytes: ByteBuffer? { self.buffer }
}
