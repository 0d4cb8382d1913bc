import FuzzSupport
import ProtoWire

/// A REST request body as the server reads it: `JSONParser.parse`, then `mergeJSON` into an
/// empty message with the default options (unknown fields refused). The first byte picks the
/// request type (`RequestMessages`), the rest is the body.
///
/// A message read from JSON must be printable as JSON (it cannot hold a Timestamp proto3 JSON
/// cannot print, since reading checked the range), and that JSON must read back to an equal
/// message that prints the same bytes: one trip normalizes (names, number forms, offsets,
/// `null`s), a second changes nothing. Its protobuf encoding must decode to an equal message.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let type = input.choose(from: RequestMessages.all)
    checkJSON(type, input.takeRest())
    return 0
}

func checkJSON<Message: ProtoMessage>(_: Message.Type, _ body: [UInt8]) {
    let message: Message
    do {
        let value = try JSONParser.parse(body)
        var decoded = Message()
        try decoded.mergeJSON(value, options: JSONDecodingOptions())
        message = decoded
    } catch {
        return
    }
    let name = Message.protoName
    let json: [UInt8]
    do {
        json = try message.jsonUTF8Bytes()
    } catch {
        propertyBroken("\(name): read from JSON but cannot be written as JSON: \(error); body \(escaped(body))")
    }
    let again: Message
    do {
        again = try Message(jsonUTF8Bytes: json)
    } catch {
        propertyBroken("\(name): its own JSON does not read back: \(error); JSON \(escaped(json))")
    }
    requireProperty(again == message, "\(name): its JSON reads back as another message: \(escaped(json))")
    do {
        let jsonAgain = try again.jsonUTF8Bytes()
        requireProperty(jsonAgain == json, "\(name): JSON is not stable: \(escaped(json)) then \(escaped(jsonAgain))")
    } catch {
        propertyBroken("\(name): read back from its JSON but cannot be written again: \(error)")
    }

    let encoded = message.serializedBytes()
    do {
        let decoded = try Message(serializedBytes: encoded)
        requireProperty(
            decoded == message, "\(name): its protobuf encoding decodes to another message: \(escaped(encoded))")
    } catch {
        propertyBroken("\(name): its protobuf encoding does not decode: \(error); encoding \(escaped(encoded))")
    }
}

@main
enum Main {
    static func main() {
        FuzzDriver.main(testOneInput)
    }
}
