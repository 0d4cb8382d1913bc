/// A cursor over protobuf bytes that never reads past its end.
///
/// Like NIO's `readInteger`, every read checks the remaining length first; unlike it, running
/// short is an error (`truncated`), because a protobuf message is always complete before we
/// decode it (gRPC framing buffers whole messages). The bytes are borrowed: a reader must not
/// outlive the `withUnsafeBytes` call that produced it.
struct WireReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var position: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.position = 0
    }

    var isAtEnd: Bool { self.position >= self.bytes.count }
    var remaining: Int { self.bytes.count - self.position }

    mutating func readByte() throws(WireError) -> UInt8 {
        guard self.position < self.bytes.count else { throw WireError(.truncated) }
        defer { self.position += 1 }
        return self.bytes[self.position]
    }

    /// 1 … 10 bytes. An 11th continuation byte is `overlongVarint`; bits past 64 in the
    /// 10th byte are dropped, as Google's parsers do.
    mutating func readVarint() throws(WireError) -> UInt64 {
        let first = try self.readByte()
        if first < 0x80 { return UInt64(first) }
        var result = UInt64(first & 0x7F)
        var shift: UInt64 = 7
        while shift < 70 {
            let byte = try self.readByte()
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        throw WireError(.overlongVarint)
    }

    /// Returns the field number (1 … 2^29−1) and wire type; 0, 6, 7 and tags over 32 bits throw.
    mutating func readTag() throws(WireError) -> (number: Int, wireType: WireType) {
        let tag = try self.readVarint()
        guard tag <= UInt64(UInt32.max) else {
            throw WireError(.invalidFieldNumber, "tag \(tag) does not fit 32 bits")
        }
        let number = Int(tag >> 3)
        guard number != 0 else { throw WireError(.invalidFieldNumber, "field number 0") }
        guard let wireType = WireType(rawValue: UInt8(tag & 7)) else {
            throw WireError(.invalidWireType, "wire type \(tag & 7) for field \(number)")
        }
        return (number, wireType)
    }

    mutating func readFixed32() throws(WireError) -> UInt32 {
        guard self.remaining >= 4 else { throw WireError(.truncated) }
        defer { self.position += 4 }
        return UInt32(littleEndian: self.bytes.loadUnaligned(fromByteOffset: self.position, as: UInt32.self))
    }

    mutating func readFixed64() throws(WireError) -> UInt64 {
        guard self.remaining >= 8 else { throw WireError(.truncated) }
        defer { self.position += 8 }
        return UInt64(littleEndian: self.bytes.loadUnaligned(fromByteOffset: self.position, as: UInt64.self))
    }

    /// Reads a length prefix and hands back exactly that many bytes. The length is checked
    /// against what is left *before* anything uses it, so no caller ever sizes an allocation
    /// from an unchecked length.
    mutating func readLengthDelimited() throws(WireError) -> UnsafeRawBufferPointer {
        let length = try self.readVarint()
        guard length <= UInt64(self.remaining) else {
            throw WireError(.lengthPastEnd, "length \(length) with \(self.remaining) bytes left")
        }
        let start = self.position
        self.position += Int(length)
        return UnsafeRawBufferPointer(rebasing: self.bytes[start..<self.position])
    }

    /// A reader over the next length-delimited payload (a nested message or packed run).
    mutating func readNested() throws(WireError) -> WireReader {
        WireReader(try self.readLengthDelimited())
    }

    mutating func readString() throws(WireError) -> String {
        guard let string = UTF8Validation.string(try self.readLengthDelimited()) else {
            throw WireError(.invalidUTF8)
        }
        return string
    }

    mutating func readBytes() throws(WireError) -> [UInt8] {
        Array(try self.readLengthDelimited())
    }
}
