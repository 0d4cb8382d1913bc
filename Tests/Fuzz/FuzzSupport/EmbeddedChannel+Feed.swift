import NIOCore
public import NIOEmbedded

extension EmbeddedChannel {
    /// Bytes from the network in reads of `readSize`, each followed by the loop's pending work,
    /// with whatever the connection writes thrown away, until they run out or the connection
    /// closes. A connection that refuses its input throws on a read and closes: that is its
    /// answer.
    public func feed(_ bytes: [UInt8], readSize: Int) {
        var offset = 0
        while offset < bytes.count, self.isActive {
            let end = min(bytes.count, offset + readSize)
            _ = try? self.writeInbound(ByteBuffer(bytes: bytes[offset..<end]))
            self.embeddedEventLoop.run()
            while (try? self.readOutbound(as: ByteBuffer.self)) != nil {}
            offset = end
        }
    }
}
