public import Foundation
import BookingDomain

/// A statement parameter, sent in PostgreSQL's text format: every parameter goes to
/// `PQexecPrepared`/`PQexecParams` as its own value with type OID 0, so the server infers the type
/// from the statement (`$1::uuid`, a column) and no value is ever spliced into SQL text.
///
/// `nil` in a parameter list is SQL NULL.
public protocol PGValue: Sendable {
    /// Appends the text the type's input function accepts (without a terminating NUL).
    func appendPGText(to bytes: inout [UInt8])
}

extension String: PGValue {
    public func appendPGText(to bytes: inout [UInt8]) { bytes.append(contentsOf: self.utf8) }
}

extension Substring: PGValue {
    public func appendPGText(to bytes: inout [UInt8]) { bytes.append(contentsOf: self.utf8) }
}

extension Int: PGValue {
    public func appendPGText(to bytes: inout [UInt8]) { bytes.append(contentsOf: String(self).utf8) }
}

extension Int64: PGValue {
    public func appendPGText(to bytes: inout [UInt8]) { bytes.append(contentsOf: String(self).utf8) }
}

extension Int32: PGValue {
    public func appendPGText(to bytes: inout [UInt8]) { bytes.append(contentsOf: String(self).utf8) }
}

extension Int16: PGValue {
    public func appendPGText(to bytes: inout [UInt8]) { bytes.append(contentsOf: String(self).utf8) }
}

extension Bool: PGValue {
    public func appendPGText(to bytes: inout [UInt8]) { bytes.append(self ? UInt8(ascii: "t") : UInt8(ascii: "f")) }
}

extension Double: PGValue {
    /// Swift prints the shortest text that reads back as the same Double, which float8in
    /// accepts; only the non-finite spellings differ.
    public func appendPGText(to bytes: inout [UInt8]) {
        let text: String
        if self.isNaN {
            text = "NaN"
        } else if self.isInfinite {
            text = self < 0 ? "-Infinity" : "Infinity"
        } else {
            text = String(self)
        }
        bytes.append(contentsOf: text.utf8)
    }
}

extension UUID: PGValue {
    public func appendPGText(to bytes: inout [UInt8]) { bytes.append(contentsOf: UUIDText.format(self).utf8) }
}

extension Date: PGValue {
    /// `timestamptz` in UTC with microseconds, PostgreSQL's own resolution.
    public func appendPGText(to bytes: inout [UInt8]) { PGTimestamp.append(self, to: &bytes) }
}

extension Data: PGValue {
    /// `bytea` in hex format (`\x0a1b…`).
    public func appendPGText(to bytes: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        bytes.reserveCapacity(bytes.count + 2 + self.count * 2)
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "x"))
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
    }
}

extension Range: PGValue where Bound == Date {
    /// `tstzrange` `[lower,upper)`: Swift's half-open range is PostgreSQL's canonical bounds.
    public func appendPGText(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: "[\"".utf8)
        PGTimestamp.append(self.lowerBound, to: &bytes)
        bytes.append(contentsOf: "\",\"".utf8)
        PGTimestamp.append(self.upperBound, to: &bytes)
        bytes.append(contentsOf: "\")".utf8)
    }
}

extension Array: PGValue where Element: PGValue {
    /// A one-dimensional array literal with every element quoted (`{"a","b \"c\""}`), so commas,
    /// braces, spaces and the word NULL inside elements stay text. Cast in SQL: `$1::text[]`.
    public func appendPGText(to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        var element: [UInt8] = []
        for (index, value) in self.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            element.removeAll(keepingCapacity: true)
            value.appendPGText(to: &element)
            bytes.append(UInt8(ascii: "\""))
            for byte in element {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
    }
}

/// JSON text for a `json`/`jsonb` parameter. The server validates it; the store does not parse it.
public struct PGJSON: PGValue, Hashable {
    public var text: String
    public init(_ text: String) { self.text = text }
    public func appendPGText(to bytes: inout [UInt8]) { bytes.append(contentsOf: self.text.utf8) }
}
