import NIOCore

/// Splits a gRPC request body into messages: `[flag][4-byte big-endian length][message]`.
/// DATA frame boundaries mean nothing here; bytes are buffered until a message is whole.
/// Flag 1 marks a message compressed with the request's encoding (gzip is the one we take):
/// it is inflated under the same limit as an uncompressed one.
struct GRPCMessageDeframer {
    private var buffer: ByteBuffer?
    private let maxMessageSize: Int
    private let isGzipped: Bool

    init(maxMessageSize: Int, isGzipped: Bool = false) {
        self.maxMessageSize = maxMessageSize
        self.isGzipped = isGzipped
    }

    mutating func append(_ bytes: ByteBuffer) {
        if var buffer = self.buffer {
            var bytes = bytes
            buffer.writeBuffer(&bytes)
            self.buffer = buffer
        } else {
            self.buffer = bytes
        }
    }

    /// The next whole message, nil when more bytes are needed. A length over the limit is
    /// refused from the prefix alone, before anything is buffered for it.
    mutating func next() throws(RPCError) -> ByteBuffer? {
        guard var buffer = self.buffer, buffer.readableBytes >= 5,
            let flag = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            let length = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt32.self)
        else { return nil }
        switch flag {
        case 0: break
        case 1 where self.isGzipped: break
        case 1: throw RPCError(.internal, "compressed message without a supported message encoding")
        default: throw RPCError(.internal, "unexpected message flag \(flag)")
        }
        guard length <= self.maxMessageSize else {
            throw RPCError(
                .resourceExhausted, "message of \(length) bytes is larger than the limit of \(self.maxMessageSize)")
        }
        guard buffer.readableBytes >= 5 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        let message = buffer.readSlice(length: Int(length))
        self.buffer = buffer.readableBytes > 0 ? buffer : nil
        guard flag == 1, let compressed = message else { return message }
        do throws(DecompressionError) {
            return try Gzip.decompress(compressed, limit: self.maxMessageSize)
        } catch {
            switch error {
            case .tooLarge(let limit):
                throw RPCError(.resourceExhausted, "message inflates to more than the limit of \(limit) bytes")
            case .malformed(let reason):
                throw RPCError(.internal, "could not decompress a gzip message: \(reason)")
            }
        }
    }

    /// Bytes of an incomplete message left over (a request that ended mid-message).
    var hasPartialMessage: Bool { (self.buffer?.readableBytes ?? 0) > 0 }
}

enum GRPCMessageFramer {
    /// A buffer holding the 5-byte prefix (never compressed) and whatever `writeMessage`
    /// appends; the length is patched in afterwards, so the message is written in place once.
    static func framed(allocator: ByteBufferAllocator, _ writeMessage: (inout ByteBuffer) -> Void) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt32(0))
        writeMessage(&buffer)
        buffer.setInteger(UInt32(buffer.readableBytes - 5), at: buffer.readerIndex + 1)
        return buffer
    }
}
