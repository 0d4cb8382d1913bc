/// Text a client sent, as an error message quotes it: at most 128 characters. Anyone can send
/// a 16 KiB path, and an answer that echoes it whole is an amplifier (and, held by a client
/// that never reads, memory).
enum ClientText {
    static let maxQuoted = 128

    static func quoted(_ text: some StringProtocol) -> String {
        text.count <= Self.maxQuoted ? String(text) : String(text.prefix(Self.maxQuoted)) + "…"
    }
}
