/// Where the server's certificate and key live: PEM files, re-read on every reload so that a
/// renewed certificate written over the old files is picked up without a restart.
public struct TLSFiles: Sendable, Equatable {
    /// The server's certificate first, then any intermediates, as PEM.
    public var certificateChain: String
    /// The private key of the first certificate, as unencrypted PEM (PKCS#8 or traditional).
    public var privateKey: String

    public init(certificateChain: String, privateKey: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }
}
