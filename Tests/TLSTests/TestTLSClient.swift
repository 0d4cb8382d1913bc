import COpenSSL
import NIOCore

/// An OpenSSL client over memory BIOs: the other end of a `TLSHandler` on an `EmbeddedChannel`,
/// verifying the server's chain against a CA file and the name `localhost`.
final class TestTLSClient {
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let inbound: OpaquePointer
    private let outbound: OpaquePointer

    /// `alpn`: the names offered, nil for no ALPN extension. `maxVersion`: e.g. `TLS1_1_VERSION`.
    init(trusting caFile: String, alpn: [String]?, maxVersion: Int32? = nil) {
        self.context = SSL_CTX_new(TLS_client_method())!
        SSL_CTX_set_verify(self.context, SSL_VERIFY_PEER, nil)
        precondition(SSL_CTX_load_verify_locations(self.context, caFile, nil) == 1)
        if let maxVersion {
            // Lets the test client go below the TLS 1.2 that its defaults require too.
            SSL_CTX_set_security_level(self.context, 0)
            _ = SSL_CTX_ctrl(self.context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_VERSION), nil)
            _ = SSL_CTX_ctrl(self.context, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(maxVersion), nil)
        }
        self.ssl = SSL_new(self.context)!
        self.inbound = BIO_new(BIO_s_mem())!
        self.outbound = BIO_new(BIO_s_mem())!
        SSL_set_bio(self.ssl, self.inbound, self.outbound)
        SSL_set_connect_state(self.ssl)
        precondition(SSL_set1_host(self.ssl, "localhost") == 1)
        if let alpn {
            var wire: [UInt8] = []
            for name in alpn { wire += [UInt8(name.utf8.count)] + Array(name.utf8) }
            precondition(SSL_set_alpn_protos(self.ssl, wire, UInt32(wire.count)) == 0)
        }
    }

    deinit {
        SSL_free(self.ssl)
        SSL_CTX_free(self.context)
    }

    /// Steps the handshake: true once it is done, false while it waits for the server.
    func handshake() -> Bool {
        let result = SSL_do_handshake(self.ssl)
        if result != 1 { ERR_clear_error() }
        return result == 1
    }

    var handshakeFailed: Bool {
        let result = SSL_do_handshake(self.ssl)
        defer { ERR_clear_error() }
        return result != 1 && SSL_get_error(self.ssl, result) != SSL_ERROR_WANT_READ
    }

    var verified: Bool { SSL_get_verify_result(self.ssl) == X509_V_OK }

    var applicationProtocol: String? {
        var name: UnsafePointer<UInt8>? = nil
        var length: UInt32 = 0
        SSL_get0_alpn_selected(self.ssl, &name, &length)
        guard let name, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: name, count: Int(length)), as: UTF8.self)
    }

    /// The common name of the certificate the server presented.
    var serverCommonName: String? {
        guard let certificate = SSL_get0_peer_certificate(self.ssl), let subject = X509_get_subject_name(certificate)
        else { return nil }
        var buffer = [CChar](repeating: 0, count: 256)
        guard X509_NAME_get_text_by_NID(subject, NID_commonName, &buffer, Int32(buffer.count)) > 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func receive(_ buffer: ByteBuffer) {
        let bytes = Array(buffer.readableBytesView)
        guard !bytes.isEmpty else { return }
        var written = 0
        precondition(BIO_write_ex(self.inbound, bytes, bytes.count, &written) == 1)
    }

    /// Ciphertext for the server, or nil when there is none.
    func takeOutput() -> ByteBuffer? {
        let pending = Int(BIO_ctrl_pending(self.outbound))
        guard pending > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: pending)
        var count = 0
        precondition(BIO_read_ex(self.outbound, &bytes, pending, &count) == 1)
        return ByteBuffer(bytes: bytes.prefix(count))
    }

    func write(_ text: String) {
        let bytes = Array(text.utf8)
        var written = 0
        precondition(SSL_write_ex(self.ssl, bytes, bytes.count, &written) == 1)
    }

    /// Plaintext from the server so far; `closedByServer` when it sent `close_notify`.
    func read() -> (text: String, closedByServer: Bool) {
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var count = 0
            let result = SSL_read_ex(self.ssl, &buffer, buffer.count, &count)
            if result == 1 {
                text += buffer.prefix(count)
                continue
            }
            let error = SSL_get_error(self.ssl, result)
            ERR_clear_error()
            return (String(decoding: text, as: UTF8.self), error == SSL_ERROR_ZERO_RETURN)
        }
    }

    /// Sends `close_notify`.
    func shutdown() {
        _ = SSL_shutdown(self.ssl)
    }
}
