/// Helpers for echoing client text inside error messages.
enum InputText {
    /// Client input quoted in an error message, cut short so that a hostile megabyte of text
    /// is not reflected back (and logged) whole.
    static func quoted(_ text: String, limit: Int = 64) -> String {
        if text.count <= limit { return "\"\(text)\"" }
        return "\"\(text.prefix(limit))…\""
    }
}
