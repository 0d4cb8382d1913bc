/// The bytes of one fuzz input, taken apart front to back: a selector byte, header lines, then
/// the rest as a body. Running out is never an error, what is missing reads as empty, so every
/// input means something and no run is spent on "too short".
public struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    public init(_ data: UnsafePointer<UInt8>?, _ count: Int) {
        guard let data, count > 0 else {
            self.bytes = []
            return
        }
        self.bytes = Array(UnsafeBufferPointer(start: data, count: count))[...]
    }

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes[...]
    }

    public mutating func takeByte() -> UInt8 {
        self.bytes.popFirst() ?? 0
    }

    /// One of `choices`, picked by the next byte (modulo, so every byte value picks one).
    public mutating func choose<T>(from choices: [T]) -> T {
        choices[Int(self.takeByte()) % choices.count]
    }

    /// Up to the next `\n`, which is consumed; everything left when there is none.
    public mutating func takeLine() -> [UInt8] {
        guard let newline = self.bytes.firstIndex(of: UInt8(ascii: "\n")) else { return self.takeRest() }
        let line = Array(self.bytes[..<newline])
        self.bytes = self.bytes[(newline + 1)...]
        return line
    }

    /// A header value as a server hands it on: the line decoded as UTF-8 (invalid sequences
    /// replaced), or nil for an empty line, which stands for an absent header.
    public mutating func takeHeader() -> String? {
        let line = self.takeLine()
        return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
    }

    public mutating func takeRest() -> [UInt8] {
        defer { self.bytes = [] }
        return Array(self.bytes)
    }
}
