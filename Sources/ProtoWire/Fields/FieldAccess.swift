/// Reads and writes one stored property of a message, given its key path.
///
/// Applying a key path goes through the runtime's generic projection, which dominated encode
/// and decode profiles (a metadata lookup per access). For a stored property of a struct,
/// `MemoryLayout.offset(of:)` (SE-0210) gives its byte offset, and the value can be loaded and
/// stored there directly with the value's own copy semantics. Computed properties (no offset)
/// fall back to the key path.
///
/// `@unchecked Sendable`: the key path is immutable once built, and the factories only accept
/// `Sendable` key paths (`FieldKeyPath`); the stored offset is a plain integer.
struct FieldAccess<Message, Value>: @unchecked Sendable {
    let keyPath: WritableKeyPath<Message, Value>
    private let offset: Int?

    init(_ keyPath: FieldKeyPath<Message, Value>) {
        self.keyPath = keyPath
        self.offset = MemoryLayout<Message>.offset(of: keyPath)
    }

    @inline(__always)
    func get(_ message: Message) -> Value {
        guard let offset = self.offset else { return message[keyPath: self.keyPath] }
        return withUnsafeBytes(of: message) { $0.load(fromByteOffset: offset, as: Value.self) }
    }

    @inline(__always)
    func set(_ message: inout Message, _ value: Value) {
        guard let offset = self.offset else {
            message[keyPath: self.keyPath] = value
            return
        }
        withUnsafeMutableBytes(of: &message) { raw in
            guard let base = raw.baseAddress else { return }
            (base + offset).assumingMemoryBound(to: Value.self).pointee = value
        }
    }

    /// In-place mutation (appending to a repeated field) without copying the value out.
    @inline(__always)
    func modify(_ message: inout Message, _ body: (inout Value) -> Void) {
        guard let offset = self.offset else {
            body(&message[keyPath: self.keyPath])
            return
        }
        withUnsafeMutableBytes(of: &message) { raw in
            guard let base = raw.baseAddress else { return }
            body(&(base + offset).assumingMemoryBound(to: Value.self).pointee)
        }
    }
}
