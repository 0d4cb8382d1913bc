// ProtoRoundTrip: decodes and re-encodes messages so Tests/Interop can compare our codec with
// Google's, byte for byte. A long-running line protocol; one answer line per request line:
//
//   bin  <full.MessageName> <lowercase hex, or '-' for empty>
//   json <full.MessageName> <base64 of UTF-8 JSON text>
//   → ok <hex of our binary encoding, or '-'> <compact canonical proto3 JSON>
//   rest <full.MessageName> <lowercase hex, or '-' for empty>
//   → ok <hex> <compact JSON as REST answers print it: unpopulated fields emitted>
//   → err <message without newlines>
//
// Every input is answered, however malformed: this tool is fed random bytes on purpose.

import BookingAPI
import Foundation
import ProtoWire

while let line = readLine(strippingNewline: true) {
    let answer = RoundTrip.answer(to: line.hasSuffix("\r") ? String(line.dropLast()) : line)
    FileHandle.standardOutput.write(Data((answer + "\n").utf8))
}
