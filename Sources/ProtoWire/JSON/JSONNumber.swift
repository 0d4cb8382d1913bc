/// RFC 8259's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
enum JSONNumberLiteral {
    /// The index just past the number starting at `start`, or `start` if none starts there.
    static func scan(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        func at(_ i: Int) -> UInt8? {
            i < bytes.count ? bytes[i] : nil
        }
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { (0x30...0x39).contains($0) } ?? false }
        func skipDigits() { while isDigit(at(index)) { index += 1 } }

        if at(index) == UInt8(ascii: "-") { index += 1 }
        if at(index) == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(at(index)) {
            skipDigits()
        } else {
            return start
        }
        if at(index) == UInt8(ascii: ".") {
            index += 1
            guard isDigit(at(index)) else { return start }
            skipDigits()
        }
        if at(index) == UInt8(ascii: "e") || at(index) == UInt8(ascii: "E") {
            index += 1
            if at(index) == UInt8(ascii: "+") || at(index) == UInt8(ascii: "-") { index += 1 }
            guard isDigit(at(index)) else { return start }
            skipDigits()
        }
        return index
    }

    /// Whether all of `text` is one JSON number (proto3 JSON also accepts numbers in strings).
    static func isValid(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        return !utf8.isEmpty && scan(utf8, from: 0) == utf8.count
    }
}

/// Integers from proto3 JSON: a number or a string holding one, exponent forms allowed when
/// the value is integral (`1e2`, `"1.0"`). Evaluated exactly from the decimal text, never via
/// `Double`, so every int64 and uint64 value reads back unchanged.
enum JSONInteger {
    static func parse<T: FixedWidthInteger>(_ json: JSONValue, as type: T.Type) throws(WireError) -> T {
        let literal: String
        switch json {
        case .number(let text): literal = text
        case .string(let text) where JSONNumberLiteral.isValid(text): literal = text
        default: throw WireError(.invalidJSONValue, "expected an integer, got \(json.kindDescription)")
        }
        guard let (negative, magnitude) = try self.exactValue(literal) else {
            throw WireError(.invalidJSONValue, "\(literal) is not an integer")
        }
        if negative {
            guard magnitude <= T.min.magnitude else {
                throw WireError(.invalidJSONValue, "\(literal) is out of range for \(T.self)")
            }
            return magnitude == 0 ? 0 : T(truncatingIfNeeded: 0 &- magnitude)
        }
        guard magnitude <= UInt64(T.max) else {
            throw WireError(.invalidJSONValue, "\(literal) is out of range for \(T.self)")
        }
        return T(magnitude)
    }

    /// Sign and magnitude of a valid literal; nil if it has a non-zero fraction; throws if the
    /// magnitude exceeds `UInt64.max`.
    static func exactValue(_ literal: String) throws(WireError) -> (negative: Bool, magnitude: UInt64)? {
        var bytes = literal.utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var inFraction = false
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "."): inFraction = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "-") where inExponent: exponentNegative = true
            case UInt8(ascii: "+"): break
            default:
                let digit = Int(byte) - 0x30
                if inExponent {
                    exponent = min(exponent * 10 + digit, 1_000_000)  // saturate: 1e999999999 is just "too big"
                } else {
                    if digits.isEmpty && digit == 0 { if inFraction { fractionDigits += 1 }; continue }
                    digits.append(UInt8(digit))
                    if inFraction { fractionDigits += 1 }
                }
            }
        }
        if digits.isEmpty { return (negative, 0) }
        // value = digits × 10^scale
        var scale = (exponentNegative ? -exponent : exponent) - fractionDigits
        while scale < 0 {
            guard digits.last == 0 else { return nil }
            digits.removeLast()
            scale += 1
            if digits.isEmpty { return (negative, 0) }
        }
        guard digits.count + scale <= 20 else { throw WireError(.invalidJSONValue, "\(literal) is out of range") }
        var magnitude: UInt64 = 0
        for digit in digits + [UInt8](repeating: 0, count: scale) {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1 && !overflow2 else { throw WireError(.invalidJSONValue, "\(literal) is out of range") }
            magnitude = sum
        }
        return (negative, magnitude)
    }
}

/// float and double from proto3 JSON: a number, a string holding one, or "NaN", "Infinity",
/// "-Infinity". A finite literal too large for a double is an error, not infinity.
enum JSONFloatingPoint {
    static func parse(_ json: JSONValue) throws(WireError) -> Double {
        let literal: String
        switch json {
        case .number(let text): literal = text
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        case .string(let text) where JSONNumberLiteral.isValid(text): literal = text
        default: throw WireError(.invalidJSONValue, "expected a number, got \(json.kindDescription)")
        }
        guard let value = Double(literal), value.isFinite else {
            throw WireError(.invalidJSONValue, "\(literal) is out of range for double")
        }
        return value
    }
}
