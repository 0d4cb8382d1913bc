import CoreMetrics

/// Handshakes that failed, for operators (through the bootstrapped swift-metrics backend). A
/// handshake that never finishes is counted where it is cut short: the header timeout.
enum TLSMetrics {
    static let handshakeFailures = "tls_handshake_failures_total"

    enum Failure: String {
        /// The first bytes were not a TLS handshake record: plaintext HTTP, or noise.
        case notTLS = "not_tls"
        /// The handshake failed: no common version, cipher or application protocol, a malformed
        /// message, or a client that does not trust the certificate (its alert ends it).
        case refused
    }

    static func handshakeFailed(_ failure: Failure) {
        Counter(label: Self.handshakeFailures, dimensions: [("reason", failure.rawValue)]).increment()
    }
}
