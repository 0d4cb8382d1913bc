internal import COpenSSL
import Crypto

#if canImport(Glibc)
import Glibc
#endif

/// A server-side `SSL_CTX` built from `TLSFiles`: TLS 1.2 or later, OpenSSL's default ciphers
/// in the server's order, no renegotiation, ALPN `h2` then `http/1.1`. Each connection gets an
/// `SSL` of its own from it (`TLSConnection`), which keeps the context alive for as long as it
/// lives, so a context replaced by a reload still serves the connections it started.
///
/// `@unchecked Sendable` because of this invariant: the `SSL_CTX` is configured completely in
/// `init` and never changed afterwards, and OpenSSL allows `SSL_new` from any thread on such a
/// context (openssl-threads(7)).
public final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer

    /// Reads and checks both files now: a certificate chain that is not PEM, a key that is not
    /// a PEM private key, or a key that is not the first certificate's throws, naming the file.
    public init(files: TLSFiles) throws(TLSContextError) {
        try Self.checkReadable(files.certificateChain, .certificateChain)
        try Self.checkReadable(files.privateKey, .privateKey)
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw TLSContextError(.certificateChain, "cannot create a TLS context: \(OpenSSLFailure.drain())")
        }
        self.context = context   // owned from here: deinit frees it even when a step below throws
        guard c_openssl_ctx_set_min_tls12(context) == 1 else {
            throw TLSContextError(.certificateChain, "cannot require TLS 1.2: \(OpenSSLFailure.drain())")
        }
        c_openssl_ctx_set_server_options(context)
        c_openssl_ctx_set_server_modes(context)
        SSL_CTX_set_alpn_select_cb(context, selectApplicationProtocol, nil)
        guard SSL_CTX_use_certificate_chain_file(context, files.certificateChain) == 1 else {
            throw TLSContextError(
                .certificateChain, "\(files.certificateChain) is not a PEM certificate chain: \(OpenSSLFailure.drain())")
        }
        try Self.usePrivateKey(files.privateKey, in: context)
    }

    deinit { SSL_CTX_free(self.context) }

    /// The key is read here rather than with `SSL_CTX_use_PrivateKey_file`, which files a key
    /// of another type than the certificate's beside it instead of refusing it: a key that is
    /// not the first certificate's is an error of its own.
    private static func usePrivateKey(_ path: String, in context: OpaquePointer) throws(TLSContextError) {
        guard let file = BIO_new_file(path, "r") else {
            throw TLSContextError(.privateKey, "cannot open \(path): \(OpenSSLFailure.drain())")
        }
        defer { BIO_free(file) }
        guard let key = PEM_read_bio_PrivateKey(file, nil, nil, nil) else {
            throw TLSContextError(.privateKey, "\(path) is not an unencrypted PEM private key: \(OpenSSLFailure.drain())")
        }
        defer { EVP_PKEY_free(key) }
        guard let certificate = SSL_CTX_get0_certificate(context), X509_check_private_key(certificate, key) == 1 else {
            _ = OpenSSLFailure.drain()
            throw TLSContextError(.mismatch, "the private key in \(path) is not the certificate's")
        }
        guard SSL_CTX_use_PrivateKey(context, key) == 1 else {
            throw TLSContextError(.privateKey, "cannot use the private key in \(path): \(OpenSSLFailure.drain())")
        }
    }

    /// An unreadable file is named with the system's reason, which OpenSSL's queue words less
    /// plainly.
    private static func checkReadable(_ path: String, _ culprit: TLSContextError.Culprit) throws(TLSContextError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw TLSContextError(culprit, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
    }
}

/// RFC 7301 §3.2, the server's side: `h2` when the client offers it, else `http/1.1`; a client
/// offering neither gets the fatal `no_application_protocol` alert. The chosen name points into
/// the client's list, which OpenSSL copies before the callback's pointers go away.
private func selectApplicationProtocol(
    ssl: OpaquePointer?, selected: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
    selectedLength: UnsafeMutablePointer<UInt8>?, offered: UnsafePointer<UInt8>?, offeredLength: UInt32,
    argument: UnsafeMutableRawPointer?
) -> Int32 {
    guard let offered, let selected, let selectedLength else { return SSL_TLSEXT_ERR_ALERT_FATAL }
    let list = UnsafeRawBufferPointer(start: offered, count: Int(offeredLength))
    guard let choice = ApplicationProtocol.preferred(in: list) else { return SSL_TLSEXT_ERR_ALERT_FATAL }
    selected.pointee = offered + choice.offset
    selectedLength.pointee = UInt8(choice.length)
    return SSL_TLSEXT_ERR_OK
}
