import Calendly
import Crypto
import Foundation
import FuzzSupport

/// `POST /webhooks/calendly` up to the database, as `CalendlyWebhookEndpoint` does it:
/// `CalendlySignatureVerifier.verify` on the `Calendly-Webhook-Signature` header and the raw
/// body, then `CalendlyWebhook.parse` and the delivery key. Input: the header value, a
/// newline, the body.
///
/// The parser gets every body, signed or not: the signature would otherwise stop the fuzzer at
/// the first byte it changes, and what the parser must survive does not depend on who signed.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let header = input.takeHeader()
    let body = input.takeRest()
    checkSignature(header: header, body: body)
    checkSigningRoundTrip(body: body)
    checkParsing(body)
    return 0
}

/// `CALENDLY_WEBHOOK_SECRET` of the corpus' signed inputs.
let signingKey = "fuzz-calendly-signing-key"
let verifier = try! CalendlySignatureVerifier(signingKey: signingKey)
/// 2025-06-10T14:00:05Z, the day of the test fixtures the corpus started from.
let now = Date(timeIntervalSince1970: 1_749_564_005)

/// An accepted header is bound to its body: one more byte is a mismatch.
func checkSignature(header: String?, body: [UInt8]) {
    do {
        try verifier.verify(header: header, body: body, now: now)
    } catch {
        return
    }
    do {
        try verifier.verify(header: header, body: body + [0x20], now: now)
        propertyBroken("a signature header also verifies a changed body")
    } catch {
        requireProperty(error.reason == .signatureMismatch, "a changed body is refused as \(error.reason), not a mismatch")
    }
}

/// The header Calendly sends for `body` is accepted at once and refused once it is stale.
func checkSigningRoundTrip(body: [UInt8]) {
    func header(signedAt seconds: Int) -> String {
        let mac = HMACSHA256.authenticate(key: Array(signingKey.utf8), message: Array("\(seconds).".utf8) + body)
        return "t=\(seconds),v1=\(Hex.encode(mac))"
    }
    let seconds = Int(now.timeIntervalSince1970)
    do {
        let signedAt = try verifier.verify(header: header(signedAt: seconds), body: body, now: now)
        requireProperty(signedAt == now, "verify returned \(signedAt), the header said \(now)")
    } catch {
        propertyBroken("a correctly signed body is refused: \(error)")
    }
    let staleSeconds = seconds - Int(verifier.tolerance.components.seconds) - 1
    do {
        try verifier.verify(header: header(signedAt: staleSeconds), body: body, now: now)
        propertyBroken("a signature older than the tolerance is accepted")
    } catch {
        requireProperty(error.reason == .staleSignature, "a stale signature is refused as \(error.reason)")
    }
}

/// What the endpoint and `CalendlyBookings` read from a parsed delivery is there and consistent.
func checkParsing(_ body: [UInt8]) {
    let webhook: CalendlyWebhook
    do {
        webhook = try CalendlyWebhook.parse(body)
    } catch {
        requireProperty(error.reason == .malformedPayload, "a body is refused as \(error.reason)")
        return
    }
    let key = webhook.deliveryKey
    requireProperty(key.createdAt == webhook.createdAtText && key.eventName == webhook.name, "delivery key \(key)")
    switch webhook.event {
    case .inviteeCreated(let invitee):
        requireProperty(webhook.name == CalendlyEvent.inviteeCreatedName, "\(webhook.name) parsed as invitee.created")
        checkInvitee(invitee, key: key)
    case .inviteeCanceled(let invitee):
        requireProperty(webhook.name == CalendlyEvent.inviteeCanceledName, "\(webhook.name) parsed as invitee.canceled")
        checkInvitee(invitee, key: key)
    case .noShowCreated(let noShow), .noShowDeleted(let noShow):
        requireProperty(
            [CalendlyEvent.noShowCreatedName, CalendlyEvent.noShowDeletedName].contains(webhook.name),
            "\(webhook.name) parsed as a no-show")
        requireProperty(key.resourceURI == noShow.inviteeURI, "a no-show's delivery key is not its invitee")
        if let invitee = noShow.invitee { checkInvitee(invitee, key: nil) }
    case .other(let name, _):
        requireProperty(name == webhook.name, "other event \(name) under \(webhook.name)")
    }
}

func checkInvitee(_ invitee: Invitee, key: CalendlyDeliveryKey?) {
    requireProperty(!invitee.eventURI.isEmpty, "an invitee without its event's URI")
    if let key { requireProperty(key.resourceURI == invitee.uri, "an invitee's delivery key is not its URI") }
    let positions = invitee.questionsAndAnswers.map(\.position)
    requireProperty(positions == positions.sorted(), "answers out of order: \(positions)")
    // The booking fetches the event by this UUID when the payload lacks its hosts.
    _ = invitee.scheduledEvent?.uuid
}

@main
enum Main {
    static func main() {
        FuzzDriver.main(testOneInput)
    }
}
