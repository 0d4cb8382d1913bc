#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An ordered list of header fields with lower-cased names, as HTTP/2 requires and as our
/// HTTP/1.1 adapter presents them. Order and repeats are kept: gRPC metadata may repeat a
/// key, and `-bin` values may be comma-joined.
///
/// Every field lives in one byte array, `[name length: UInt32][value length: UInt32][name]
/// [value]` after another: a request's header block is one allocation, a copy is one retain,
/// and Strings are made only for what is read. Lookups walk the fields, which for the dozen
/// fields of a request is cheaper than any index.
public struct HTTPFields: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    private static let fieldHeaderSize = 8

    private var bytes: [UInt8] = []
    public private(set) var count = 0

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { self.append(name.lowercased(), value) }
    }

    public var isEmpty: Bool { self.count == 0 }

    /// Appends a field; `name` must already be lower case (callers own that invariant so
    /// the hot path does not lower-case twice).
    public mutating func append(_ name: String, _ value: String) {
        self.appendHeader(nameCount: name.utf8.count, valueCount: value.utf8.count)
        self.bytes.append(contentsOf: name.utf8)
        self.bytes.append(contentsOf: value.utf8)
    }

    /// Appends a field from raw bytes (nghttp2 has already checked and lower-cased the name).
    mutating func append(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        if self.count == 0 {
            // A typical request header block fits, so it is collected without regrowing.
            self.bytes.reserveCapacity(512)
        }
        self.appendHeader(nameCount: name.count, valueCount: value.count)
        self.bytes.append(contentsOf: name)
        self.bytes.append(contentsOf: value)
    }

    /// Lengths are little-endian UInt32: far above what any parser before us lets through.
    private mutating func appendHeader(nameCount: Int, valueCount: Int) {
        self.appendLength(nameCount)
        self.appendLength(valueCount)
        self.count += 1
    }

    private mutating func appendLength(_ length: Int) {
        self.bytes.append(UInt8(truncatingIfNeeded: length))
        self.bytes.append(UInt8(truncatingIfNeeded: length >> 8))
        self.bytes.append(UInt8(truncatingIfNeeded: length >> 16))
        self.bytes.append(UInt8(truncatingIfNeeded: length >> 24))
    }

    public mutating func append(contentsOf other: HTTPFields) {
        if self.count == 0 {
            self = other
            return
        }
        self.bytes.append(contentsOf: other.bytes)
        self.count += other.count
    }

    /// Where one field's name and value sit in `bytes`.
    private struct Location {
        var name: Range<Int>
        var value: Range<Int>
    }

    /// Calls `body` with each field's location until it returns false.
    private func walk(_ body: (Location) -> Bool) {
        self.bytes.withUnsafeBufferPointer { raw in
            var offset = 0
            while offset + Self.fieldHeaderSize <= raw.count {
                var nameCount = 0
                var valueCount = 0
                for index in 0..<4 {
                    nameCount |= Int(raw[offset + index]) << (8 * index)
                    valueCount |= Int(raw[offset + 4 + index]) << (8 * index)
                }
                let nameStart = offset + Self.fieldHeaderSize
                let valueStart = nameStart + nameCount
                offset = valueStart + valueCount
                if !body(Location(name: nameStart..<valueStart, value: valueStart..<offset)) { return }
            }
        }
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: self.bytes[range], as: UTF8.self)
    }

    private func nameMatches(_ range: Range<Int>, _ name: String) -> Bool {
        var name = name
        guard name.utf8.count == range.count else { return false }
        return name.withUTF8 { wanted in
            self.bytes.withUnsafeBufferPointer { stored in
                guard let storedBase = stored.baseAddress, let wantedBase = wanted.baseAddress else {
                    return range.isEmpty
                }
                return memcmp(storedBase + range.lowerBound, wantedBase, range.count) == 0
            }
        }
    }

    /// The first value for `name` (lower case).
    public subscript(name: String) -> String? {
        self.firstValueUTF8(name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The first value for `name` as raw bytes, for checks that need no String.
    public func firstValueUTF8(_ name: String) -> ArraySlice<UInt8>? {
        var found: Range<Int>?
        self.walk { location in
            guard self.nameMatches(location.name, name) else { return true }
            found = location.value
            return false
        }
        return found.map { self.bytes[$0] }
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        var values: [String] = []
        self.walk { location in
            if self.nameMatches(location.name, name) { values.append(self.string(location.value)) }
            return true
        }
        return values
    }

    public mutating func removeAll(named name: String) {
        var kept = HTTPFields()
        self.walk { location in
            if !self.nameMatches(location.name, name) {
                kept.appendHeader(nameCount: location.name.count, valueCount: location.value.count)
                kept.bytes.append(contentsOf: self.bytes[location.name])
                kept.bytes.append(contentsOf: self.bytes[location.value])
            }
            return true
        }
        self = kept
    }

    /// Calls `body` with each field's raw name and value, without making Strings.
    func forEachRaw(_ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) {
        self.walk { location in
            body(self.bytes[location.name], self.bytes[location.value])
            return true
        }
    }

    /// Bytes of all names and values together: what a header block needs in scratch space.
    var byteCount: Int { self.bytes.count - self.count * Self.fieldHeaderSize }

    public static func == (lhs: HTTPFields, rhs: HTTPFields) -> Bool {
        lhs.count == rhs.count && lhs.bytes == rhs.bytes
    }

    public func makeIterator() -> IndexingIterator<[Field]> {
        var fields: [Field] = []
        fields.reserveCapacity(self.count)
        self.walk { location in
            fields.append(Field(name: self.string(location.name), value: self.string(location.value)))
            return true
        }
        return fields.makeIterator()
    }
}
