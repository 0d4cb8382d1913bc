/// The one error of `Crypto`: a key that cannot be used. Verification itself never throws; a
/// signature that does not verify is `false`, so callers cannot confuse "bad token" with
/// "broken key".
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, and OpenSSL's queued reasons when it had any. Never contains key bytes.
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "CryptoError: \(self.message)" }
}
