internal import COpenSSL
import Crypto
import NIOCore

/// One connection's OpenSSL `SSL`, reading ciphertext from one memory BIO and writing it to
/// another: NIO owns the socket, so OpenSSL never touches it. `TLSHandler` moves bytes between
/// the BIOs and the channel.
///
/// Each BIO holds little: ciphertext received is written in and then read out at once, up to a
/// partial record, and ciphertext produced is taken out after each call. The `SSL` owns both BIOs
/// and is freed in `deinit`. Confined to the channel's event loop.
final class TLSConnection {
    /// What a handshake or read step came to.
    enum Progress: Equatable {
        /// OpenSSL needs more ciphertext from the peer.
        case needMoreBytes
        /// The handshake is done, or a read filled the buffer it was given.
        case done
        /// The peer sent `close_notify`.
        case closedByPeer
        /// A protocol error: OpenSSL's reasons, its error queue drained. Any alert it queued is
        /// waiting in the outbound BIO.
        case failed(String)
    }

    private let ssl: OpaquePointer
    private let inbound: OpaquePointer
    private let outbound: OpaquePointer

    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    /// Fails only when OpenSSL cannot allocate.
    init(context: TLSContext) throws(SetupError) {
        guard let ssl = SSL_new(context.context) else {
            throw SetupError(description: "cannot create an SSL: \(OpenSSLFailure.drain())")
        }
        guard let inbound = BIO_new(BIO_s_mem()), let outbound = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw SetupError(description: "cannot create memory BIOs: \(OpenSSLFailure.drain())")
        }
        SSL_set_bio(ssl, inbound, outbound)   // the SSL owns both from here
        SSL_set_accept_state(ssl)
        self.ssl = ssl
        self.inbound = inbound
        self.outbound = outbound
    }

    deinit { SSL_free(self.ssl) }

    /// Ciphertext from the peer, for the next handshake or read step. A memory BIO grows to take
    /// it all; it fails only when it cannot allocate.
    func receive(_ ciphertext: ByteBuffer) -> Bool {
        ciphertext.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return true }
            var written = 0
            return BIO_write_ex(self.inbound, base, bytes.count, &written) == 1 && written == bytes.count
        }
    }

    func handshake() -> Progress {
        let result = SSL_do_handshake(self.ssl)
        return result == 1 ? .done : self.progress(after: result)
    }

    /// Decrypts into `plaintext`'s writable bytes until OpenSSL needs more ciphertext or the
    /// buffer is full (`.done`: call again with room).
    func read(into plaintext: inout ByteBuffer) -> Progress {
        while plaintext.writableBytes > 0 {
            var count = 0
            let ok = plaintext.withUnsafeMutableWritableBytes { space in
                SSL_read_ex(self.ssl, space.baseAddress, space.count, &count)
            }
            guard ok == 1 else { return self.progress(after: ok) }
            plaintext.moveWriterIndex(forwardBy: count)
        }
        return .done
    }

    /// Encrypts all of `plaintext` into the outbound BIO, in records of up to 16 KiB. False
    /// only when OpenSSL cannot allocate or the connection has failed.
    func write(_ plaintext: ByteBuffer) -> Bool {
        plaintext.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return true }
            var written = 0
            guard SSL_write_ex(self.ssl, base, bytes.count, &written) == 1, written == bytes.count else {
                _ = OpenSSLFailure.drain()
                return false
            }
            return true
        }
    }

    /// Queues `close_notify` (RFC 8446 §6.1). Whether the peer answers with its own is not
    /// waited for: the connection is closed next.
    func shutdown() {
        if SSL_shutdown(self.ssl) < 0 { _ = OpenSSLFailure.drain() }
    }

    /// Everything OpenSSL has written for the peer since the last call, in one buffer.
    func takeCiphertext(allocator: ByteBufferAllocator) -> ByteBuffer? {
        let pending = Int(BIO_ctrl_pending(self.outbound))
        guard pending > 0 else { return nil }
        var buffer = allocator.buffer(capacity: pending)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { space in
            var count = 0
            return BIO_read_ex(self.outbound, space.baseAddress, pending, &count) == 1 ? count : 0
        }
        return buffer
    }

    /// What ALPN chose during the handshake; nil when the client offered no list.
    var applicationProtocol: ApplicationProtocol? {
        var name: UnsafePointer<UInt8>? = nil
        var length: UInt32 = 0
        SSL_get0_alpn_selected(self.ssl, &name, &length)
        guard let name, length > 0 else { return nil }
        return ApplicationProtocol(name: UnsafeRawBufferPointer(start: name, count: Int(length)))
    }

    private func progress(after result: Int32) -> Progress {
        switch SSL_get_error(self.ssl, result) {
        case SSL_ERROR_WANT_READ:
            return .needMoreBytes
        case SSL_ERROR_ZERO_RETURN:
            return .closedByPeer
        default:
            return .failed(OpenSSLFailure.drain())
        }
    }
}

@available(*, unavailable)
extension TLSConnection: Sendable {}
