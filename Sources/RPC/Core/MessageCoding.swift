public import NIOCore
public import ProtoWire

/// How the messages of one call are encoded on the wire.
public enum MessageEncoding: Sendable {
    case protobuf
    case json
    /// JSON with every field without presence printed, even at its default, and unset
    /// messages as `null`: the REST answers (grpc-gateway's default), so browser code reads
    /// `call.customerContext.length` without guarding against a missing key.
    case jsonEmittingUnpopulatedFields
    /// Protobuf behind gRPC's 5-byte prefix, written in place so the message is not copied.
    case grpcFramedProtobuf
    case grpcFramedJSON
}

/// A request message as the protocol layer received it, not yet decoded: the handler's
/// closure knows the concrete type.
public enum EncodedRequest: Sendable {
    case protobuf(ByteBuffer)
    /// A JSON object, possibly assembled from body, path and query (REST), and how to read it.
    case json(JSONValue, JSONDecodingOptions = JSONDecodingOptions())
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
        case .json(let value, let options):
            do {
                var message = Self()
                try message.mergeJSON(value, options: options)
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
            // Sizing a small message is half the work of encoding it: `serialize` does it once.
            return GRPCMessageFramer.framed(allocator: allocator) { self.serialize(into: &$0) }
        case .json:
            return allocator.buffer(bytes: try self.jsonBytes(JSONEncodingOptions()))
        case .jsonEmittingUnpopulatedFields:
            return allocator.buffer(bytes: try self.jsonBytes(JSONEncodingOptions(emitUnpopulatedFields: true)))
        case .grpcFramedJSON:
            let json = try self.jsonBytes(JSONEncodingOptions())
            return GRPCMessageFramer.framed(allocator: allocator) { $0.writeBytes(json) }
        }
    }

    private func jsonBytes(_ options: JSONEncodingOptions) throws(RPCError) -> [UInt8] {
        do {
            return try self.jsonUTF8Bytes(options: options)
        } catch {
            throw RPCError(.internal, "could not encode \(Self.protoName) as JSON: \(error)")
        }
    }
}
