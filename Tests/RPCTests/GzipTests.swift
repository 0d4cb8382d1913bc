import NIOCore
import ProtoWire
import Testing

@testable import RPC

/// gzip requests inflate under the limit of an uncompressed one.
@Suite struct GzipTests {
    /// `{"text": "hi"}`, gzipped by Python's `gzip.compress(…, mtime=0)`.
    static let hello = ByteBuffer(bytes: Base64.decode("H4sIAAAAAAACA6tWKkmtKFGyUlDKyFSqBQASWq/SDgAAAA==")!)
    /// 1 MiB of zeros in 1,051 bytes (Python's gzip, level 9).
    static let bomb = ByteBuffer(
        bytes: Base64.decode("H4sIAAAAAAACA+3BMQEAAADCoPVPbQhfo" + String(repeating: "A", count: 1355) + "PgMc6jinAAAQAA==")!)

    @Test func aGzipMessageInflates() throws {
        let inflated = try Gzip.decompress(Self.hello, limit: 1024)
        #expect(String(buffer: inflated) == #"{"text": "hi"}"#)
    }

    @Test func inflationStopsAtTheLimit() throws {
        #expect(try Gzip.decompress(Self.bomb, limit: 1 << 20).readableBytes == 1 << 20)
        #expect(throws: DecompressionError.tooLarge(limit: 64 << 10)) { try Gzip.decompress(Self.bomb, limit: 64 << 10) }
    }

    @Test func truncatedTrailingOrForeignBytesAreMalformed() {
        var truncated = Self.hello
        truncated.moveWriterIndex(to: truncated.writerIndex - 6)
        var trailing = Self.hello
        trailing.writeString("junk")
        for input in [truncated, trailing, ByteBuffer(string: #"{"text": "hi"}"#)] {
            #expect {
                try Gzip.decompress(input, limit: 1024)
            } throws: { error in
                if case .malformed = error as? DecompressionError { return true }
                return false
            }
        }
    }
}
