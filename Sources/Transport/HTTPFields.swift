/// An ordered list of header fields with lower-cased names, as both HTTP/2 (which requires
/// lower case) and our HTTP/1.1 adapter present them. Order and repeats are kept because
/// gRPC metadata may repeat a key and `-bin` values may be comma-joined.
public struct HTTPFields: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    private var storage: [Field]

    public init() { self.storage = [] }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.storage = elements.map { Field(name: $0.0.lowercased(), value: $0.1) }
    }

    public var count: Int { self.storage.count }
    public var isEmpty: Bool { self.storage.isEmpty }

    /// Appends a field; `name` must already be lower case (callers own that invariant so
    /// the hot path does not lower-case twice).
    public mutating func append(_ name: String, _ value: String) {
        self.storage.append(Field(name: name, value: value))
    }

    public mutating func append(contentsOf other: HTTPFields) {
        self.storage.append(contentsOf: other.storage)
    }

    /// The first value for `name` (lower case).
    public subscript(name: String) -> String? {
        for field in self.storage where field.name == name { return field.value }
        return nil
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        self.storage.lazy.filter { $0.name == name }.map(\.value)
    }

    public mutating func removeAll(named name: String) {
        self.storage.removeAll { $0.name == name }
    }

    public func makeIterator() -> IndexingIterator<[Field]> { self.storage.makeIterator() }
}
