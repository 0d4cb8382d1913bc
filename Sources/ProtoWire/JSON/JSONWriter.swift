/// Builds compact JSON text as UTF-8 bytes, the way proto3 JSON printers do: no whitespace,
/// `"`, `\` and control characters escaped, everything else (including non-ASCII) verbatim.
///
/// Commas are the caller's: pass the same `first` flag to `writeKey`/`writeSeparator` for
/// every member of one object or array, so no stack of states needs allocating.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Travels with the writer so that nested messages, including those written by a type's
    /// own `writeJSON(to:)`, print with the same options as the top one.
    public let options: JSONEncodingOptions

    public init(options: JSONEncodingOptions = JSONEncodingOptions()) {
        self.options = options
    }

    public mutating func beginObject() { self.bytes.append(UInt8(ascii: "{")) }
    public mutating func endObject() { self.bytes.append(UInt8(ascii: "}")) }
    public mutating func beginArray() { self.bytes.append(UInt8(ascii: "[")) }
    public mutating func endArray() { self.bytes.append(UInt8(ascii: "]")) }

    /// A comma unless this is the first element.
    public mutating func writeSeparator(first: inout Bool) {
        if first { first = false } else { self.bytes.append(UInt8(ascii: ",")) }
    }

    /// `,"key":` (comma unless first).
    public mutating func writeKey(_ key: String, first: inout Bool) {
        self.writeSeparator(first: &first)
        self.writeString(key)
        self.bytes.append(UInt8(ascii: ":"))
    }

    public mutating func writeNull() { self.writeASCII("null") }
    public mutating func writeBool(_ value: Bool) { self.writeASCII(value ? "true" : "false") }

    public mutating func writeNumber(_ value: some BinaryInteger) {
        self.writeASCII(String(value))
    }

    /// 64-bit integers are strings in proto3 JSON: JavaScript numbers would round them.
    public mutating func writeQuotedNumber(_ value: some BinaryInteger) {
        self.bytes.append(UInt8(ascii: "\""))
        self.writeASCII(String(value))
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// Swift's `description` is the shortest text that reads back to the same value (like
    /// Python's `repr`); non-finite values become the proto3 strings.
    public mutating func writeNumber(_ value: Double) {
        if value.isNaN { self.writeString("NaN") }
        else if value.isInfinite { self.writeString(value < 0 ? "-Infinity" : "Infinity") }
        else { self.writeASCII(value.description) }
    }

    /// The shortest text for the *float* value, as Python's json_format prints float fields.
    public mutating func writeNumber(_ value: Float) {
        if value.isNaN { self.writeString("NaN") }
        else if value.isInfinite { self.writeString(value < 0 ? "-Infinity" : "Infinity") }
        else { self.writeASCII(value.description) }
    }

    public mutating func writeString(_ string: String) {
        self.bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): self.writeASCII("\\\"")
            case UInt8(ascii: "\\"): self.writeASCII("\\\\")
            case 0x0A: self.writeASCII("\\n")
            case 0x0D: self.writeASCII("\\r")
            case 0x09: self.writeASCII("\\t")
            case 0x08: self.writeASCII("\\b")
            case 0x0C: self.writeASCII("\\f")
            case 0x00..<0x20:
                self.writeASCII("\\u00")
                self.bytes.append(Self.hexDigits[Int(byte >> 4)])
                self.bytes.append(Self.hexDigits[Int(byte & 0xF)])
            default: self.bytes.append(byte)
            }
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// Appends text that needs no escaping (numbers, literals, pre-built JSON).
    public mutating func writeRaw(_ text: String) { self.writeASCII(text) }

    private mutating func writeASCII(_ text: String) { self.bytes.append(contentsOf: text.utf8) }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
