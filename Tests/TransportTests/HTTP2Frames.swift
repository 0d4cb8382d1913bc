import CNGHTTP2
import NIOCore

/// A client's side of HTTP/2 written by hand, for driving `HTTP2ConnectionHandler` frame by
/// frame: what a well-behaved client would send and what a hostile one would. Header blocks
/// are HPACK literals without indexing; the server's are decoded with nghttp2's inflater.
enum HTTP2Frames {
    static let magic = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    enum Kind: UInt8 {
        case data = 0, headers = 1, rstStream = 3, settings = 4, ping = 6, goAway = 7, windowUpdate = 8
        case continuation = 9
    }

    static let endStream: UInt8 = 0x1
    static let ack: UInt8 = 0x1
    static let endHeaders: UInt8 = 0x4

    static func frame(_ kind: Kind, flags: UInt8 = 0, stream: Int32 = 0, payload: [UInt8]) -> [UInt8] {
        Self.frame(kind, flags: flags, stream: stream, payload)
    }

    static func frame(_ kind: Kind, flags: UInt8 = 0, stream: Int32 = 0, _ payload: [UInt8] = []) -> [UInt8] {
        let length = payload.count
        var bytes = [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), kind.rawValue, flags]
        bytes += withUnsafeBytes(of: UInt32(bitPattern: stream).bigEndian, Array.init)
        return bytes + payload
    }

    /// The magic and an empty SETTINGS frame.
    static var preface: [UInt8] { Self.magic + Self.frame(.settings) }

    static func headerBlock(_ fields: [(String, String)]) -> [UInt8] {
        var block: [UInt8] = []
        for (name, value) in fields {
            block.append(0x00)  // literal header field without indexing, new name
            block += Self.length(name.utf8.count) + Array(name.utf8)
            block += Self.length(value.utf8.count) + Array(value.utf8)
        }
        return block
    }

    /// HPACK integers with a 7-bit prefix, no Huffman.
    private static func length(_ value: Int) -> [UInt8] {
        guard value >= 127 else { return [UInt8(value)] }
        var bytes: [UInt8] = [127]
        var rest = value - 127
        while rest >= 128 {
            bytes.append(UInt8(rest & 0x7F | 0x80))
            rest >>= 7
        }
        return bytes + [UInt8(rest)]
    }

    static func request(
        _ path: String, method: String = "POST", extra: [(String, String)] = []
    ) -> [(String, String)] {
        [(":method", method), (":scheme", "http"), (":path", path), (":authority", "localhost")] + extra
    }

    static func headers(stream: Int32, _ fields: [(String, String)], endStream: Bool, endHeaders: Bool = true) -> [UInt8] {
        let flags = (endStream ? Self.endStream : 0) | (endHeaders ? Self.endHeaders : 0)
        return Self.frame(.headers, flags: flags, stream: stream, Self.headerBlock(fields))
    }

    /// A header block of any size: HEADERS, then CONTINUATIONs, each under the 16 KiB frame size.
    static func headersSplit(stream: Int32, _ fields: [(String, String)], endStream: Bool) -> [UInt8] {
        var block = Self.headerBlock(fields)[...]
        var frames: [UInt8] = []
        var kind = Kind.headers
        repeat {
            let chunk = block.prefix(16_000)
            block = block.dropFirst(chunk.count)
            let flags = (kind == .headers && endStream ? Self.endStream : 0) | (block.isEmpty ? Self.endHeaders : 0)
            frames += Self.frame(kind, flags: flags, stream: stream, Array(chunk))
            kind = .continuation
        } while !block.isEmpty
        return frames
    }

    static func data(stream: Int32, _ bytes: [UInt8], endStream: Bool) -> [UInt8] {
        Self.frame(.data, flags: endStream ? Self.endStream : 0, stream: stream, bytes)
    }

    static func rstStream(stream: Int32, code: UInt32) -> [UInt8] {
        Self.frame(.rstStream, stream: stream, withUnsafeBytes(of: code.bigEndian, Array.init))
    }

    /// A frame the server sent.
    struct Received: CustomStringConvertible {
        let kind: UInt8
        let flags: UInt8
        let stream: Int32
        let payload: [UInt8]

        /// RST_STREAM's code, or GOAWAY's (after the last stream id).
        var errorCode: UInt32? {
            let offset: Int
            switch self.kind {
            case Kind.rstStream.rawValue: offset = 0
            case Kind.goAway.rawValue: offset = 4
            default: return nil
            }
            guard self.payload.count >= offset + 4 else { return nil }
            return self.payload[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }

        var description: String { "frame(type \(self.kind), flags \(self.flags), stream \(self.stream), \(self.payload.count) bytes)" }
    }

    static func parse(_ bytes: [UInt8]) -> [Received] {
        var frames: [Received] = []
        var index = 0
        while bytes.count - index >= 9 {
            let length = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
            guard bytes.count - index - 9 >= length else { break }
            let stream = bytes[index + 5..<index + 9].reduce(0) { $0 << 8 | UInt32($1) } & 0x7FFF_FFFF
            frames.append(
                Received(
                    kind: bytes[index + 3], flags: bytes[index + 4], stream: Int32(stream),
                    payload: Array(bytes[index + 9..<index + 9 + length])))
            index += 9 + length
        }
        return frames
    }
}

/// Decodes the server's header blocks in order (HPACK keeps state across them).
final class HeaderDecoder {
    private var inflater: OpaquePointer?

    init() {
        nghttp2_hd_inflate_new(&self.inflater)
    }

    deinit {
        nghttp2_hd_inflate_del(self.inflater)
    }

    func decode(_ block: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        block.withUnsafeBufferPointer { buffer in
            var input = buffer.baseAddress!
            var remaining = buffer.count
            while true {
                var pair = nghttp2_nv()
                var flags: Int32 = 0
                let read = nghttp2_hd_inflate_hd2(self.inflater, &pair, &flags, input, remaining, 1)
                guard read >= 0 else { return }
                input += read
                remaining -= read
                if flags & Int32(NGHTTP2_HD_INFLATE_EMIT.rawValue) != 0 {
                    let name = String(decoding: UnsafeBufferPointer(start: pair.name, count: pair.namelen), as: UTF8.self)
                    let value = String(decoding: UnsafeBufferPointer(start: pair.value, count: pair.valuelen), as: UTF8.self)
                    fields[name] = value
                }
                if flags & Int32(NGHTTP2_HD_INFLATE_FINAL.rawValue) != 0 {
                    nghttp2_hd_inflate_end_headers(self.inflater)
                    return
                }
                if read == 0, flags & Int32(NGHTTP2_HD_INFLATE_EMIT.rawValue) == 0 { return }
            }
        }
        return fields
    }
}
