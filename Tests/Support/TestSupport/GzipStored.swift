/// gzip (RFC 1952) of `bytes` in stored (uncompressed) deflate blocks: valid gzip that any
/// inflater reads, written without zlib, for tests that need gzip of bodies they build at run
/// time. Compression ratio is not the point; `gzipStored([...]).count` is a little over the input.
public func gzipStored(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]   // deflate, no flags, no mtime, unknown OS
    var offset = 0
    repeat {
        let count = min(0xffff, bytes.count - offset)
        let final: UInt8 = offset + count == bytes.count ? 1 : 0
        out += [final, UInt8(count & 0xff), UInt8(count >> 8), UInt8(~count & 0xff), UInt8((~count >> 8) & 0xff)]
        out += bytes[offset..<(offset + count)]
        offset += count
    } while offset < bytes.count
    return out + littleEndian(crc32(bytes)) + littleEndian(UInt32(truncatingIfNeeded: bytes.count))
}

/// CRC-32 (ISO-HDLC, the one gzip trails with), bit by bit.
private func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xffff_ffff
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
    }
    return ~crc
}

private func littleEndian(_ value: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}
