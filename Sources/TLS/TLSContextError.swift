/// A certificate or key that cannot serve: the files are unreadable, not PEM, or do not belong
/// together. Start-up stops on it; a reload logs it and keeps the context it had.
public struct TLSContextError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which file is at fault, so a configuration error can name its setting.
    public enum Culprit: Sendable, Equatable {
        case certificateChain
        case privateKey
        /// Each is fine alone, but the key is not the certificate's.
        case mismatch
    }

    public var culprit: Culprit
    /// What was wrong, with OpenSSL's queued reasons when it had any. Never contains key bytes.
    public var message: String

    public init(_ culprit: Culprit, _ message: String) {
        self.culprit = culprit
        self.message = message
    }

    public var description: String { self.message }
}
