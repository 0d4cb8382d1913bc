import TLS
import TestSupport

extension TestCertificates {
    var files: TLSFiles { TLSFiles(certificateChain: self.chain, privateKey: self.serverKey) }
}
