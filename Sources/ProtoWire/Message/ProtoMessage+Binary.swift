public import NIOCore

extension ProtoMessage {
    /// The binary encoding: known fields in number order, implicit-presence defaults omitted,
    /// map entries in the order of Google's deterministic mode.
    public func serializedBytes() -> [UInt8] {
        var cache = SizeCache()
        let size = Self.encodedSize(of: self, cache: &cache)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var writer = WireWriter(UnsafeMutableRawBufferPointer(buffer), sizes: cache)
            self.encode(to: &writer)
            initialized = writer.position
        }
    }

    /// Appends the binary encoding to `buffer` with one capacity check for the whole message.
    public func serialize(into buffer: inout ByteBuffer) {
        var cache = SizeCache()
        let size = Self.encodedSize(of: self, cache: &cache)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw in
            var writer = WireWriter(UnsafeMutableRawBufferPointer(rebasing: raw[0..<size]), sizes: cache)
            self.encode(to: &writer)
            return writer.position
        }
    }

    /// Length of `serializedBytes()`, without encoding.
    public var serializedSize: Int {
        var cache = SizeCache()
        return Self.encodedSize(of: self, cache: &cache)
    }

    public init(serializedBytes bytes: [UInt8]) throws(WireError) {
        // `withUnsafeBytes` only rethrows untyped errors: carry ours out in a Result.
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) in
                var message = Self()
                try message.merge(serializedBytes: raw)
                return message
            }
        }
        self = try result.get()
    }

    /// Decodes the readable bytes of `buffer` (its reader index is not moved).
    public init(buffer: ByteBuffer) throws(WireError) {
        let result = buffer.withUnsafeReadableBytes { raw in
            Result { () throws(WireError) in
                var message = Self()
                try message.merge(serializedBytes: raw)
                return message
            }
        }
        self = try result.get()
    }

    /// Merges an encoded message into `self`: scalars are replaced, repeated fields appended,
    /// message fields merged, as protobuf's `MergeFrom` does.
    public mutating func merge(serializedBytes raw: UnsafeRawBufferPointer) throws(WireError) {
        var reader = WireReader(raw)
        try Self.merge(into: &self, from: &reader, depth: 0)
    }

    // MARK: - Driven by the schema

    static func encodedSize(of message: Self, cache: inout SizeCache) -> Int {
        let codings = Self.schema.codings
        var size = 0
        var index = 0
        while index < codings.count {
            size += codings[index].size(of: message, cache: &cache)
            index += 1
        }
        return size
    }

    func encode(to writer: inout WireWriter) {
        let codings = Self.schema.codings
        var index = 0
        while index < codings.count {
            codings[index].encode(self, to: &writer)
            index += 1
        }
    }

    /// Reads fields until the reader is empty. Unknown fields are skipped; errors inside a
    /// known field are annotated with `Message.field(number)` on the way out.
    static func merge(into message: inout Self, from reader: inout WireReader, depth: Int) throws(WireError) {
        let schema = Self.schema
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            // Groups end only inside `skipField`; one here closes nothing, whatever its number.
            guard tag.wireType != .endGroup else {
                throw WireError(.unmatchedEndGroup, "end-group for field \(tag.number) in \(Self.protoName)")
            }
            guard let index = schema.fieldIndex(number: tag.number) else {
                try reader.skipField(number: tag.number, wireType: tag.wireType, depth: depth)
                continue
            }
            do throws(WireError) {
                try schema.codings[index].decode(into: &message, wireType: tag.wireType, from: &reader, depth: depth)
            } catch {
                let field = schema.fields[index]
                throw error.prefixed(by: "\(Self.protoName).\(field.name)(\(field.number))")
            }
        }
    }
}
