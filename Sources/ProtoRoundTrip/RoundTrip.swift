import BookingAPI
import ProtoWire

/// One request line in, one answer line out; never throws, never traps.
enum RoundTrip {
    static func answer(to line: String) -> String {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return "err expected '<bin|json|rest> <message name> <payload>'" }
        let name = String(parts[1])
        guard let type = MessageRegistry.messageTypes[name] else { return "err unknown message \(self.oneLine(name))" }
        do throws(WireError) {
            switch parts[0] {
            case "bin":
                guard let bytes = self.bytes(fromHex: parts[2]) else { return "err payload is not hex" }
                return try self.answer(for: type.init(serializedBytes: bytes))
            case "rest":
                guard let bytes = self.bytes(fromHex: parts[2]) else { return "err payload is not hex" }
                return try self.answer(
                    for: type.init(serializedBytes: bytes), json: JSONEncodingOptions(emitUnpopulatedFields: true))
            case "json":
                guard let text = Base64.decode(String(parts[2])) else { return "err payload is not base64" }
                return try self.answer(for: type.init(jsonUTF8Bytes: text))
            default:
                return "err unknown command \(self.oneLine(String(parts[0])))"
            }
        } catch {
            return "err \(self.oneLine(error.description))"
        }
    }

    /// `ok <hex> <json>` for a decoded message (opened from the existential by the caller).
    private static func answer(
        for message: some ProtoMessage, json options: JSONEncodingOptions = JSONEncodingOptions()
    ) throws(WireError) -> String {
        let binary = message.serializedBytes()
        let json = String(decoding: try message.jsonUTF8Bytes(options: options), as: UTF8.self)
        return "ok \(binary.isEmpty ? "-" : self.hex(binary)) \(json)"
    }

    private static func bytes(fromHex text: Substring) -> [UInt8]? {
        if text == "-" { return [] }
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = self.nibble(utf8[index]), let low = self.nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func hex(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(self.hexDigits[Int(byte >> 4)])
            text.append(self.hexDigits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Error text must stay on one line: the protocol is line-based.
    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 }.prefix(500))
    }
}
