import FuzzSupport
import NIOCore
import ProtoWire

/// A gRPC request message as the server decodes it: `Message(buffer:)` over the deframed
/// payload. The first byte picks the request type (`RequestMessages`), the rest is the message.
///
/// A decoded message must survive its own encoding: the bytes decode again, to an equal message
/// that encodes to the same bytes (the input itself need not come back: unknown fields are
/// dropped and fields may arrive in any order), `serializedSize` and `serialize(into:)` agree
/// with `serializedBytes()`, and, unless a Timestamp is outside what proto3 JSON can print,
/// its JSON form reads back to the same message.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let type = input.choose(from: RequestMessages.all)
    checkDecoding(type, input.takeRest())
    return 0
}

func checkDecoding<Message: ProtoMessage>(_: Message.Type, _ bytes: [UInt8]) {
    let message: Message
    do {
        message = try Message(buffer: ByteBuffer(bytes: bytes))
    } catch {
        return
    }
    let name = Message.protoName
    let encoded = message.serializedBytes()
    let size = message.serializedSize
    requireProperty(size == encoded.count, "\(name): serializedSize \(size), encoded \(encoded.count)")
    var buffer = ByteBuffer()
    message.serialize(into: &buffer)
    requireProperty(
        Array(buffer.readableBytesView) == encoded, "\(name): serialize(into:) differs from serializedBytes()")

    let decodedAgain: Message
    do {
        decodedAgain = try Message(serializedBytes: encoded)
    } catch {
        propertyBroken("\(name): its own encoding does not decode: \(error); encoding \(escaped(encoded))")
    }
    requireProperty(
        decodedAgain == message, "\(name): decoding its encoding gives another message; encoding \(escaped(encoded))")
    requireProperty(
        decodedAgain.serializedBytes() == encoded,
        "\(name): encoding is not stable: \(escaped(encoded)) then \(escaped(decodedAgain.serializedBytes()))")

    let json: [UInt8]
    do throws(WireError) {
        json = try message.jsonUTF8Bytes()
    } catch {
        requireProperty(error.code == .valueOutOfRange, "\(name): cannot be written as JSON: \(error)")
        return
    }
    do {
        let fromJSON = try Message(jsonUTF8Bytes: json)
        requireProperty(fromJSON == message, "\(name): its JSON reads back as another message: \(escaped(json))")
    } catch {
        propertyBroken("\(name): its own JSON does not read back: \(error); JSON \(escaped(json))")
    }
}

@main
enum Main {
    static func main() {
        FuzzDriver.main(testOneInput)
    }
}
