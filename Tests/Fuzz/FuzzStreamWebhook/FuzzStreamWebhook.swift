import BookingDomain
import Foundation
import FuzzSupport
import NIOCore
import RPC
import StreamVideo

/// `POST /webhooks/stream` up to the database, as `StreamWebhookEndpoint` does it: the body's
/// encoding from `Content-Encoding` and its first bytes, gzip inflated (capped at 1 MiB), then
/// `StreamWebhookVerifier.verify` on `X-Signature`, `X-Api-Key` and the signed JSON, then
/// `StreamWebhookEvent.parse` and the call id of the event's room. Input: those three header
/// values on a line each (an empty line is an absent header), then the body.
///
/// The parser gets every body, signed or not: the signature would otherwise stop the fuzzer at
/// the first byte it changes, and what the parser must survive does not depend on who signed.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let signature = input.takeHeader()
    let apiKey = input.takeHeader()
    let contentEncoding = input.takeHeader()
    guard let body = signedJSON(input.takeRest(), contentEncoding: contentEncoding) else { return 0 }
    checkVerification(signature: signature, apiKey: apiKey, body: body)
    checkSigningRoundTrip(body: body)
    checkParsing(body)
    return 0
}

/// The JSON the endpoint verifies, or nil where it answers 415, 400 or 413 instead.
func signedJSON(_ received: [UInt8], contentEncoding: String?) -> [UInt8]? {
    let encoding: StreamWebhookVerifier.BodyEncoding
    do {
        encoding = try StreamWebhookVerifier.encoding(contentEncoding: contentEncoding, body: received)
    } catch {
        requireProperty(error.reason == .unsupportedEncoding, "an encoding is refused as \(error.reason)")
        return nil
    }
    guard encoding == .gzip else { return received }
    do throws(DecompressionError) {
        let inflated = try Gzip.decompress(ByteBuffer(bytes: received), limit: 1 << 20)
        requireProperty(inflated.readableBytes <= 1 << 20, "inflated past the limit")
        return Array(inflated.readableBytesView)
    } catch {
        return nil
    }
}

/// The app key and secret of the corpus' signed inputs.
let apiKey = "fuzz-stream-api-key"
let verifier = try! StreamWebhookVerifier(apiKey: apiKey, secret: "fuzz-stream-secret")
/// `STREAM_CALL_TYPE`'s default.
let callType = "default"

/// An accepted delivery names our app and its signature is bound to its body.
func checkVerification(signature: String?, apiKey key: String?, body: [UInt8]) {
    do {
        try verifier.verify(signature: signature, apiKey: key, body: body)
    } catch {
        return
    }
    requireProperty(key == apiKey, "accepted the API key \(key ?? "nil")")
    do {
        try verifier.verify(signature: signature, apiKey: key, body: body + [0x20])
        propertyBroken("a signature also verifies a changed body")
    } catch {
        requireProperty(error.reason == .signatureMismatch, "a changed body is refused as \(error.reason), not a mismatch")
    }
}

/// What Stream signs is accepted.
func checkSigningRoundTrip(body: [UInt8]) {
    do {
        try verifier.verify(signature: verifier.signature(for: body), apiKey: apiKey, body: body)
    } catch {
        propertyBroken("a correctly signed body is refused: \(error)")
    }
}

/// What the endpoint and `StreamEventEffect` read from a parsed event is there and consistent.
func checkParsing(_ body: [UInt8]) {
    let event: StreamWebhookEvent
    do {
        event = try StreamWebhookEvent.parse(body)
    } catch {
        requireProperty(error.reason == .malformedPayload, "a body is refused as \(error.reason)")
        return
    }
    if let id = event.callID(ofType: callType) {
        requireProperty(event.callCID == callType + ":" + id, "call id \(id) of \(event.callCID ?? "nil")")
        _ = try? CallID(validating: id)
    }
    switch event.kind {
    case .other:
        return
    case .recordingReady(let recording):
        // Stored, then read whenever the recordings are listed.
        _ = recording.urlExpiry
    case .participantJoined(let participant), .participantLeft(let participant):
        requireProperty(!participant.userID.isEmpty, "a participant without a user id")
    case .statsReportReady(let sessionID):
        requireProperty(!sessionID.isEmpty, "a stats report without its session")
    case .sessionStarted, .ended, .recordingFailed:
        break
    }
    requireProperty(event.callCID != nil, "\(event.type) without a call")
}

@main
enum Main {
    static func main() {
        FuzzDriver.main(testOneInput)
    }
}
