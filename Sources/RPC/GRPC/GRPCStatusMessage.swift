/// `grpc-message` is percent-encoded UTF-8: every byte outside 0x20–0x7E, and `%` itself,
/// becomes `%XX` (upper-case hex, as grpc-go writes it), so no raw CR/LF ever reaches a header.
enum GRPCStatusMessage {
    static func percentEncode(_ message: String) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(message.utf8.count)
        for byte in message.utf8 {
            if byte >= 0x20, byte <= 0x7E, byte != UInt8(ascii: "%") {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
