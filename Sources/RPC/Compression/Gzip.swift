import CZlib
public import NIOCore

/// Why a compressed request could not be read.
public enum DecompressionError: Error, Sendable, Equatable {
    /// It inflates to more than the limit of an uncompressed message.
    case tooLarge(limit: Int)
    case malformed(String)
}

/// gzip (RFC 1952) inflation with a ceiling: the limit that applies to an uncompressed
/// request applies to what a compressed one inflates to, so a few kilobytes of zeros cannot
/// become gigabytes in memory. Inflation stops one byte past the limit.
public enum Gzip {
    /// zlib's window bits for "gzip wrapper only" (15 bits of window, +16 for gzip).
    private static let gzipWindowBits: Int32 = 15 + 16
    private static let chunk = 16 << 10

    public static func decompress(_ input: ByteBuffer, limit: Int) throws(DecompressionError) -> ByteBuffer {
        var stream = z_stream()
        guard c_zlib_inflate_init2(&stream, Self.gzipWindowBits) == Z_OK else {
            throw .malformed("zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output = ByteBuffer()
        output.reserveCapacity(min(limit, max(Self.chunk, input.readableBytes * 4)))
        var status: Int32 = Z_OK
        // `withUnsafeReadableBytes` rethrows untyped errors: the typed one is carried out.
        let failure = input.withUnsafeReadableBytes { compressed -> DecompressionError? in
            stream.next_in = UnsafeMutablePointer(mutating: compressed.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(compressed.count)
            while status != Z_STREAM_END {
                let room = min(Self.chunk, limit + 1 - output.readableBytes)
                guard room > 0 else { return .tooLarge(limit: limit) }
                let written = output.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { space in
                    stream.next_out = space.bindMemory(to: Bytef.self).baseAddress
                    stream.avail_out = uInt(room)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return room - Int(stream.avail_out)
                }
                switch status {
                case Z_OK, Z_STREAM_END:
                    if output.readableBytes > limit { return .tooLarge(limit: limit) }
                case Z_BUF_ERROR where stream.avail_in == 0 && written == 0:
                    return .malformed("the gzip data ends early")
                case Z_BUF_ERROR:
                    continue
                default:
                    return .malformed(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)")
                }
            }
            return stream.avail_in == 0 ? nil : .malformed("bytes follow the end of the gzip data")
        }
        if let failure { throw failure }
        return output
    }
}
