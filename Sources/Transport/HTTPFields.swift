#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An ordered list of header fields with lower-cased names, as HTTP/2 requires and as our
/// HTTP/1.1 adapter presents them. Order and repeats are kept: gRPC metadata may repeat a
/// key, and `-bin` values may be comma-joined.
///
/// All names and values live in one byte buffer, so a request's header block costs two
/// allocations however many fields it has; Strings are made only for what is read.
public struct HTTPFields: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Offsets into `bytes`: the name is `nameStart..<valueStart`, the value `valueStart..<end`.
    private struct Entry: Sendable, Equatable {
        var nameStart: Int32
        var valueStart: Int32
        var end: Int32
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { self.append(name.lowercased(), value) }
    }

    public var count: Int { self.entries.count }
    public var isEmpty: Bool { self.entries.isEmpty }

    /// Appends a field; `name` must already be lower case (callers own that invariant so
    /// the hot path does not lower-case twice).
    public mutating func append(_ name: String, _ value: String) {
        let nameStart = Int32(self.bytes.count)
        self.bytes.append(contentsOf: name.utf8)
        let valueStart = Int32(self.bytes.count)
        self.bytes.append(contentsOf: value.utf8)
        self.entries.append(Entry(nameStart: nameStart, valueStart: valueStart, end: Int32(self.bytes.count)))
    }

    /// Appends a field from raw bytes (nghttp2 has already checked and lower-cased the name).
    mutating func append(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        if self.entries.isEmpty {
            // A typical request header block fits, so it is collected without regrowing.
            self.bytes.reserveCapacity(512)
            self.entries.reserveCapacity(12)
        }
        let nameStart = Int32(self.bytes.count)
        self.bytes.append(contentsOf: name)
        let valueStart = Int32(self.bytes.count)
        self.bytes.append(contentsOf: value)
        self.entries.append(Entry(nameStart: nameStart, valueStart: valueStart, end: Int32(self.bytes.count)))
    }

    public mutating func append(contentsOf other: HTTPFields) {
        if self.entries.isEmpty {
            self = other
            return
        }
        let shift = Int32(self.bytes.count)
        self.bytes.append(contentsOf: other.bytes)
        for entry in other.entries {
            self.entries.append(
                Entry(nameStart: entry.nameStart + shift, valueStart: entry.valueStart + shift, end: entry.end + shift))
        }
    }

    private func name(of entry: Entry) -> ArraySlice<UInt8> {
        self.bytes[Int(entry.nameStart)..<Int(entry.valueStart)]
    }

    private func value(of entry: Entry) -> String {
        String(decoding: self.bytes[Int(entry.valueStart)..<Int(entry.end)], as: UTF8.self)
    }

    private func matches(_ entry: Entry, _ name: String) -> Bool {
        let count = Int(entry.valueStart - entry.nameStart)
        var name = name
        guard name.utf8.count == count else { return false }
        return name.withUTF8 { wanted in
            self.bytes.withUnsafeBufferPointer { stored in
                guard let storedBase = stored.baseAddress, let wantedBase = wanted.baseAddress else { return count == 0 }
                return memcmp(storedBase + Int(entry.nameStart), wantedBase, count) == 0
            }
        }
    }

    /// The first value for `name` (lower case).
    public subscript(name: String) -> String? {
        for entry in self.entries where self.matches(entry, name) { return self.value(of: entry) }
        return nil
    }

    /// The first value for `name` as raw bytes, for checks that need no String.
    public func firstValueUTF8(_ name: String) -> ArraySlice<UInt8>? {
        for entry in self.entries where self.matches(entry, name) {
            return self.bytes[Int(entry.valueStart)..<Int(entry.end)]
        }
        return nil
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        self.entries.filter { self.matches($0, name) }.map { self.value(of: $0) }
    }

    /// Leaves the bytes of removed fields in place: removal is rare (response headers).
    public mutating func removeAll(named name: String) {
        let kept = self.entries.filter { !self.matches($0, name) }
        self.entries = kept
    }

    /// Calls `body` with each field's raw name and value, without making Strings.
    func forEachRaw(_ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) {
        for entry in self.entries {
            body(self.name(of: entry), self.bytes[Int(entry.valueStart)..<Int(entry.end)])
        }
    }

    /// Bytes of all names and values together: what a header block needs in scratch space.
    var byteCount: Int { self.entries.reduce(0) { $0 + Int($1.end - $1.nameStart) } }

    public static func == (lhs: HTTPFields, rhs: HTTPFields) -> Bool {
        lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0 == $1 }
    }

    public struct Iterator: IteratorProtocol {
        fileprivate let fields: HTTPFields
        fileprivate var index = 0

        public mutating func next() -> Field? {
            guard index < self.fields.entries.count else { return nil }
            defer { self.index += 1 }
            let entry = self.fields.entries[self.index]
            return Field(
                name: String(decoding: self.fields.name(of: entry), as: UTF8.self), value: self.fields.value(of: entry))
        }
    }

    public func makeIterator() -> Iterator { Iterator(fields: self) }
}
