/// Sizes and ZigZag, shared by the reader, the writer and the size pass.
enum Varint {
    /// Bytes a varint of `value` takes: 1 … 10.
    @inline(__always)
    static func size(_ value: UInt64) -> Int {
        // 7 payload bits per byte; 0 still takes one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// int32 and enum values are sign-extended to 64 bits first, so negatives take 10 bytes.
    @inline(__always)
    static func size(int32 value: Int32) -> Int {
        size(UInt64(bitPattern: Int64(value)))
    }

    @inline(__always)
    static func zigZag(_ value: Int32) -> UInt32 {
        UInt32(bitPattern: (value << 1) ^ (value >> 31))
    }

    @inline(__always)
    static func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    @inline(__always)
    static func unZigZag(_ value: UInt32) -> Int32 {
        Int32(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    @inline(__always)
    static func unZigZag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }
}
