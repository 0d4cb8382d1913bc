/// Keeps secrets out of log lines: every configured secret value, and anything shaped like a
/// JWT (`eyJ…` `.` … `.` …: session tokens, Stream tokens), is replaced before a line is
/// written. A second line of defence; the first is not logging credentials at all.
public struct LogRedactor: Sendable {
    public static let replacement = "[REDACTED]"
    /// Shorter values are too likely to occur by chance ("true", a port number).
    public static let minimumSecretLength = 8

    private let secrets: [String]

    public init(secrets: [String]) {
        // Longest first, so a secret containing another is replaced whole.
        self.secrets = Set(secrets.filter { $0.utf8.count >= Self.minimumSecretLength })
            .sorted { $0.utf8.count > $1.utf8.count }
    }

    public func redact(_ line: String) -> String {
        var line = line
        for secret in self.secrets where line.contains(secret) {
            line = line.replacingOccurrences(of: secret, with: Self.replacement)
        }
        return Self.redactJWTs(line)
    }

    /// Replaces each run of `eyJ` + base64url + `.` + base64url (+ `.` + base64url): the
    /// header of every JWT starts `{"` encoded, which is `eyJ`.
    static func redactJWTs(_ line: String) -> String {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, line.contains("eyJ") else { return line }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if index + 3 <= bytes.count, bytes[index] == UInt8(ascii: "e"), bytes[index + 1] == UInt8(ascii: "y"),
                bytes[index + 2] == UInt8(ascii: "J"), let end = Self.jwtEnd(bytes, from: index)
            {
                output.append(contentsOf: Self.replacement.utf8)
                index = end
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Where a JWT starting at `start` ends: at least two dot-separated base64url segments.
    private static func jwtEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        var segments = 0
        while true {
            let segmentStart = index
            while index < bytes.count, Self.isBase64URL(bytes[index]) { index += 1 }
            guard index > segmentStart else { break }
            segments += 1
            guard index < bytes.count, bytes[index] == UInt8(ascii: "."), segments < 3 else { break }
            index += 1
        }
        return segments >= 2 ? index : nil
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}
