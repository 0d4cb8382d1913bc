import Foundation
import TLS

extension AppConfig {
    /// `TLS_CERT_FILE` and `TLS_KEY_FILE`: both or neither (cleartext). The files are loaded
    /// once here, so an unreadable, malformed or mismatched pair stops the start naming its
    /// setting, rather than the first connection.
    static func tlsFiles(_ environment: [String: String]) throws(AppConfig.Error) -> TLSFiles? {
        func path(_ name: String) -> String? {
            environment[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        switch (path("TLS_CERT_FILE"), path("TLS_KEY_FILE")) {
        case (nil, nil):
            return nil
        case (.some, nil):
            throw Error(variable: "TLS_KEY_FILE", problem: "must be set when TLS_CERT_FILE is (both, or neither for cleartext)")
        case (nil, .some):
            throw Error(variable: "TLS_CERT_FILE", problem: "must be set when TLS_KEY_FILE is (both, or neither for cleartext)")
        case (.some(let certificateChain), .some(let privateKey)):
            let files = TLSFiles(certificateChain: certificateChain, privateKey: privateKey)
            do {
                _ = try TLSContext(files: files)
            } catch {
                throw Error(variable: Self.tlsVariable(blamedFor: error.culprit), problem: error.message)
            }
            return files
        }
    }

    private static func tlsVariable(blamedFor culprit: TLSContextError.Culprit) -> String {
        switch culprit {
        case .certificateChain: "TLS_CERT_FILE"
        case .privateKey: "TLS_KEY_FILE"
        case .mismatch: "TLS_KEY_FILE and TLS_CERT_FILE"
        }
    }
}
