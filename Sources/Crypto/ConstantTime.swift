internal import COpenSSL

/// Comparison of secrets (MACs, signatures) whose timing does not depend on where the first
/// differing byte is, so a caller cannot learn a valid MAC byte by byte.
public enum ConstantTime {
    /// True when both have the same length and the same bytes. The length is not secret (a MAC's
    /// length is public), so a mismatch returns early; CRYPTO_memcmp compares the rest.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.isEmpty { return true }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
