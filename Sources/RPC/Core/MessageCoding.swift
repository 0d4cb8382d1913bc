public import NIOCore
public import ProtoWire

/// How the messages of one call are encoded on the wire.
public enum MessageEncoding: Sendable {
    case protobuf
    case json
    /// Protobuf behind gRPC's 5-byte prefix, written in place so the message is not copied.
    case grpcFramedProtobuf
    case grpcFramedJSON
}

/// A request message as the protocol layer received it, not yet decoded: the handler's
/// closure knows the concrete type.
public enum EncodedRequest: Sendable {
    case protobuf(ByteBuffer)
    /// A JSON object, possibly assembled from body, path and query (REST).
    case json(JSONValue)
}

extension ProtoMessage {
    /// Decodes a request. Undecodable protobuf is INTERNAL (gRPC's statuscodes.md: the
    /// framing layer failed); undecodable JSON is the client's input and INVALID_ARGUMENT.
    static func decode(_ request: EncodedRequest) throws(RPCError) -> Self {
        switch request {
        case .protobuf(let buffer):
            do {
                return try Self(buffer: buffer)
            } catch {
                throw RPCError(.internal, "could not decode \(Self.protoName): \(error)")
            }
        case .json(let value):
            do {
                var message = Self()
                try message.mergeJSON(value, options: JSONDecodingOptions())
                return message
            } catch {
                throw RPCError(.invalidArgument, "invalid \(Self.protoName): \(error)")
            }
        }
    }

    /// Encodes a response. JSON can fail for values proto3 JSON cannot express (a Timestamp
    /// out of range): that is the server's fault, INTERNAL.
    func encode(_ encoding: MessageEncoding, allocator: ByteBufferAllocator) throws(RPCError) -> ByteBuffer {
        switch encoding {
        case .protobuf:
            var buffer = allocator.buffer(capacity: self.serializedSize)
            self.serialize(into: &buffer)
            return buffer
        case .grpcFramedProtobuf:
            // The prefix is patched once the message is written: sizing it is half the work
            // of encoding a small message, so it is done once, by `serialize`.
            var buffer = allocator.buffer(capacity: 64)
            buffer.writeInteger(UInt8(0))
            buffer.writeInteger(UInt32(0))
            self.serialize(into: &buffer)
            buffer.setInteger(UInt32(buffer.readableBytes - 5), at: buffer.readerIndex + 1)
            return buffer
        case .json:
            return allocator.buffer(bytes: try self.jsonBytes())
        case .grpcFramedJSON:
            let json = try self.jsonBytes()
            var buffer = allocator.buffer(capacity: 5 + json.count)
            buffer.writeInteger(UInt8(0))
            buffer.writeInteger(UInt32(json.count))
            buffer.writeBytes(json)
            return buffer
        }
    }

    private func jsonBytes() throws(RPCError) -> [UInt8] {
        do {
            return try self.jsonUTF8Bytes()
        } catch {
            throw RPCError(.internal, "could not encode \(Self.protoName) as JSON: \(error)")
        }
    }
}
