import CoreMetrics

/// Handshakes that failed, for operators (through the bootstrapped swift-metrics backend). A
/// handshake that never finishes is counted where it is cut short: the header timeout.
enum TLSMetrics {
    static let handshakeFailures = "tls_handshake_failures_total"

    enum Failure: String {
        /// The first bytes were not a TLS handshake record: plaintext HTTP, or noise.
        case notTLS = "not_tls"
        /// OpenSSL refused the handshake: no common version, cipher or application protocol,
        /// or a malformed message.
        case refused
    }

    static func handshakeFailed(_ failure: Failure) {
        Counter(label: Self.handshakeFailures, dimensions: [("reason", failure.rawValue)]).increment()
    }
}
