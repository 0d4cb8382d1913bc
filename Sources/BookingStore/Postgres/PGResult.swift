public import Foundation
import BookingDomain

/// A statement's result, copied out of libpq's `PGresult` before it is cleared: column names,
/// every cell as text (`nil` for NULL) and the affected row count. A plain value, `Sendable`, so
/// a repository returns it (or what it decodes) from the pool thread.
public struct PGResult: Sendable {
    public let columns: [String]
    /// Row-major cells: `cells[row * columns.count + column]`. One array for the whole result
    /// rather than one per row.
    let cells: [String?]
    /// `PQcmdTuples`: rows inserted, updated, deleted or selected; 0 for other commands.
    public let affectedRows: Int

    init(columns: [String], cells: [String?], affectedRows: Int) {
        self.columns = columns
        self.cells = cells
        self.affectedRows = affectedRows
    }

    public var rowCount: Int { self.columns.isEmpty ? 0 : self.cells.count / self.columns.count }

    public var rows: Rows { Rows(result: self) }

    /// The first row, or nil for an empty result.
    public var first: PGRow? { self.rowCount > 0 ? PGRow(result: self, index: 0) : nil }

    /// Index of a column by name: results are a few columns wide, so a linear scan beats a
    /// dictionary built per result.
    func columnIndex(_ name: String) -> Int? { self.columns.firstIndex(of: name) }

    public struct Rows: RandomAccessCollection, Sendable {
        let result: PGResult
        public var startIndex: Int { 0 }
        public var endIndex: Int { self.result.rowCount }
        public subscript(position: Int) -> PGRow { PGRow(result: self.result, index: position) }
    }
}

/// One row of a `PGResult`. The typed accessors return `nil` for SQL NULL and throw
/// `StoreError.unexpectedResult` for a missing column or text that is not of the type asked for:
/// bytes from the database never trap.
public struct PGRow: Sendable {
    let result: PGResult
    let index: Int

    /// The raw text of a cell, nil for NULL.
    public func text(_ column: Int) throws(StoreError) -> String? {
        guard column >= 0, column < self.result.columns.count else {
            throw .unexpectedResult("column \(column) out of range (\(self.result.columns.count) columns)")
        }
        return self.result.cells[self.index * self.result.columns.count + column]
    }

    public func text(_ column: String) throws(StoreError) -> String? {
        guard let position = self.result.columnIndex(column) else {
            throw .unexpectedResult("no column \"\(column)\" in result \(self.result.columns)")
        }
        return try self.text(position)
    }

    /// Decodes a cell with `T`'s parser; nil for NULL.
    public func decode<T: PGDecodable>(_ type: T.Type, _ column: String) throws(StoreError) -> T? {
        guard let text = try self.text(column) else { return nil }
        guard let value = T(pgText: text) else {
            throw .unexpectedResult("column \"\(column)\": cannot read \(T.self) from \(text.prefix(64).debugDescription)")
        }
        return value
    }

    /// Decodes a cell that must not be NULL.
    public func require<T: PGDecodable>(_ type: T.Type, _ column: String) throws(StoreError) -> T {
        guard let value = try self.decode(type, column) else {
            throw .unexpectedResult("column \"\(column)\" is NULL")
        }
        return value
    }

    public func string(_ column: String) throws(StoreError) -> String? { try self.text(column) }
    public func int(_ column: String) throws(StoreError) -> Int? { try self.decode(Int.self, column) }
    public func int64(_ column: String) throws(StoreError) -> Int64? { try self.decode(Int64.self, column) }
    public func bool(_ column: String) throws(StoreError) -> Bool? { try self.decode(Bool.self, column) }
    public func double(_ column: String) throws(StoreError) -> Double? { try self.decode(Double.self, column) }
    public func date(_ column: String) throws(StoreError) -> Date? { try self.decode(Date.self, column) }
    public func uuid(_ column: String) throws(StoreError) -> UUID? { try self.decode(UUID.self, column) }
    public func bytes(_ column: String) throws(StoreError) -> Data? { try self.decode(Data.self, column) }
    public func dateRange(_ column: String) throws(StoreError) -> Range<Date>? {
        try self.decode(Range<Date>.self, column)
    }
    /// A one-dimensional `text[]` (or any array whose elements are wanted as text) without NULLs.
    public func stringArray(_ column: String) throws(StoreError) -> [String]? {
        try self.decode([String].self, column)
    }
}

/// A type read from PostgreSQL's text output format.
public protocol PGDecodable: Sendable {
    /// nil when the text is not a value of this type.
    init?(pgText: String)
}

extension String: PGDecodable {
    public init?(pgText: String) { self = pgText }
}

extension Int: PGDecodable {
    public init?(pgText: String) { self.init(pgText, radix: 10) }
}

extension Int64: PGDecodable {
    public init?(pgText: String) { self.init(pgText, radix: 10) }
}

extension Int32: PGDecodable {
    public init?(pgText: String) { self.init(pgText, radix: 10) }
}

extension Bool: PGDecodable {
    public init?(pgText: String) {
        switch pgText {
        case "t": self = true
        case "f": self = false
        default: return nil
        }
    }
}

extension Double: PGDecodable {
    /// float8out prints `NaN`, `Infinity`, `-Infinity`; numeric prints plain decimals.
    public init?(pgText: String) {
        switch pgText {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let value = Double(pgText), value.isFinite else { return nil }
            self = value
        }
    }
}

extension UUID: PGDecodable {
    public init?(pgText: String) {
        guard let uuid = UUIDText.parse(pgText) else { return nil }
        self = uuid
    }
}

extension Date: PGDecodable {
    public init?(pgText: String) {
        guard let date = PGTimestamp.parse(pgText) else { return nil }
        self = date
    }
}

extension Data: PGDecodable {
    /// `bytea` hex output (`\x…`, the default `bytea_output`).
    public init?(pgText: String) {
        let text = Array(pgText.utf8)
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"), text.count % 2 == 0 else {
            return nil
        }
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var data = Data(capacity: (text.count - 2) / 2)
        var index = 2
        while index < text.count {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            data.append(high << 4 | low)
            index += 2
        }
        self = data
    }
}

extension Range: PGDecodable where Bound == Date {
    /// `tstzrange` output: `["2025-03-30 10:00:00+00","2025-03-30 11:00:00+00")`. Only finite,
    /// non-empty `[)` ranges, the only kind this schema stores, are read.
    public init?(pgText: String) {
        guard pgText.hasPrefix("["), pgText.hasSuffix(")") else { return nil }
        let inner = pgText.dropFirst().dropLast()
        let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        func bound(_ part: Substring) -> Date? {
            var text = part
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
            return PGTimestamp.parse(text)
        }
        guard let lower = bound(parts[0]), let upper = bound(parts[1]), lower <= upper else { return nil }
        self = lower..<upper
    }
}

extension Array: PGDecodable where Element == String {
    /// A one-dimensional array literal: `{a,"b c","d \"e\""}`. NULL elements and nested arrays are
    /// not read (nil).
    public init?(pgText: String) {
        let bytes = Array<UInt8>(pgText.utf8)
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
        var elements: [String] = []
        var index = 1
        let end = bytes.count - 1
        if index == end { self = []; return }
        while index < end {
            var element: [UInt8] = []
            if bytes[index] == UInt8(ascii: "\"") {
                index += 1
                var closed = false
                while index < end {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\\") {
                        guard index + 1 < end else { return nil }
                        element.append(bytes[index + 1])
                        index += 2
                    } else if byte == UInt8(ascii: "\"") {
                        index += 1
                        closed = true
                        break
                    } else {
                        element.append(byte)
                        index += 1
                    }
                }
                guard closed else { return nil }
            } else {
                while index < end, bytes[index] != UInt8(ascii: ",") {
                    guard bytes[index] != UInt8(ascii: "{") else { return nil }
                    element.append(bytes[index])
                    index += 1
                }
                if element == [UInt8]("NULL".utf8) { return nil }
            }
            elements.append(String(decoding: element, as: UTF8.self))
            if index < end {
                guard bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
                if index == end { return nil }
            }
        }
        self = elements
    }
}
