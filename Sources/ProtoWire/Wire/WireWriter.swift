/// Writes protobuf bytes into memory sized exactly by the size pass.
///
/// The caller reserves `size` bytes (one `ByteBuffer.writeWithUnsafeMutableBytes` or one
/// array allocation), so individual writes do no capacity checks or allocations. The
/// `precondition`s guard against a size-pass bug corrupting memory; they cannot be reached
/// from input, since encoding only reads our own values.
struct WireWriter {
    private let base: UnsafeMutableRawBufferPointer
    private(set) var position = 0
    var sizes: SizeCache

    init(_ base: UnsafeMutableRawBufferPointer, sizes: SizeCache) {
        self.base = base
        self.sizes = sizes
    }

    @inline(__always)
    mutating func writeByte(_ byte: UInt8) {
        precondition(self.position < self.base.count, "ProtoWire size pass undercounted")
        self.base[self.position] = byte
        self.position += 1
    }

    @inline(__always)
    mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            self.writeByte(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        self.writeByte(UInt8(value))
    }

    @inline(__always)
    mutating func writeTag(_ number: Int, _ wireType: WireType) {
        self.writeVarint(tagValue(number, wireType))
    }

    mutating func writeFixed32(_ value: UInt32) {
        precondition(self.base.count - self.position >= 4, "ProtoWire size pass undercounted")
        self.base.storeBytes(of: value.littleEndian, toByteOffset: self.position, as: UInt32.self)
        self.position += 4
    }

    mutating func writeFixed64(_ value: UInt64) {
        precondition(self.base.count - self.position >= 8, "ProtoWire size pass undercounted")
        self.base.storeBytes(of: value.littleEndian, toByteOffset: self.position, as: UInt64.self)
        self.position += 8
    }

    mutating func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        precondition(self.base.count - self.position >= bytes.count, "ProtoWire size pass undercounted")
        guard let source = bytes.baseAddress, let target = self.base.baseAddress, bytes.count > 0 else { return }
        (target + self.position).copyMemory(from: source, byteCount: bytes.count)
        self.position += bytes.count
    }

    /// Length prefix plus UTF-8 bytes; native Swift strings are contiguous, so this is a memcpy.
    mutating func writeString(_ string: String) {
        var string = string
        self.writeVarint(UInt64(string.utf8.count))
        string.withUTF8 { self.writeRaw(UnsafeRawBufferPointer($0)) }
    }

    mutating func writeBytes(_ bytes: [UInt8]) {
        self.writeVarint(UInt64(bytes.count))
        bytes.withUnsafeBytes { self.writeRaw($0) }
    }
}
