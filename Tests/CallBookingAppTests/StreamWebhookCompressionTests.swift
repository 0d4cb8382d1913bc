import BookingDomain
import BookingStore
import Crypto
import Foundation
import ProtoWire
import NIOCore
@testable import RPC
import Testing
import TestSupport
import Transport

@testable import CallBookingApp

/// Stream's compressed deliveries (providers.md §4.1): with the app's webhook compression on,
/// the body is gzip and `X-Signature` covers the uncompressed JSON. Each test books a call on a
/// real PostgreSQL and checks what the delivery did to it.
@Suite struct StreamWebhookCompressionTests {
    /// 1 MiB + 1 byte of zeros in 1,053 bytes (Python's gzip, level 9).
    static let bomb = Array(Base64.decode("H4sIAAAAAAACA+3BMQEAAADCoPVPbQhfo" + String(repeating: "A", count: 1355) + "TgMoi6TGAQAQAA==")!)

    static func started(_ callID: String) -> [UInt8] {
        Array(#"{"type":"call.session_started","created_at":"2030-01-07T09:01:00Z","call_cid":"consult:\#(callID)"}"#.utf8)
    }

    /// A delivery of `body` as it travels, with `X-Signature` over `signed` (the JSON).
    static func request(_ body: [UInt8], signed: [UInt8], encoding: String?, webhookID: String = "w1") -> RESTRequest {
        var headers = HTTPFields()
        headers.append("x-api-key", "key")
        headers.append(
            "x-signature", hexString(HMACSHA256.authenticate(key: Array(StreamWebhookEndpointTests.secret.utf8), message: signed)))
        headers.append("x-webhook-id", webhookID)
        if let encoding { headers.append("content-encoding", encoding) }
        return RESTRequest(
            head: RequestHead(version: .http1_1, method: "POST", path: "/webhooks/stream", authority: nil, headers: headers),
            pathVariables: [:], body: ByteBuffer(bytes: body))
    }

    static func post(_ app: AppFixture, _ request: RESTRequest) async throws -> (status: Int, body: String) {
        let response = try await StreamWebhookEndpointTests.endpoint(app.calls, pool: app.pool).handle(request)
        return (response.status, String(buffer: response.body))
    }

    static func state(_ app: AppFixture, _ id: String) async throws -> CallState? {
        try await app.calls.find(CallID(validating: id))?.state
    }

    @Test(arguments: ["gzip", "GZip", "x-gzip", nil, "identity"])
    func aGzipBodySignedOverItsJSONIsAppliedAsAPlainOneIs(encoding: String?) async throws {
        try await AppFixture.withFresh { app in
            let booked = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let json = Self.started(booked.id)
            // No header, or `identity`, over gzip bytes: Stream's SDKs go by the magic bytes.
            let answer = try await Self.post(app, Self.request(gzipStored(json), signed: json, encoding: encoding))
            #expect(answer.status == 200 && answer.body.contains(#""result":"applied""#), "\(answer)")
            #expect(try await Self.state(app, booked.id) == .inProgress)
            // The same JSON sent plain is the same delivery.
            let plain = try await Self.post(app, Self.request(json, signed: json, encoding: "identity", webhookID: "w2"))
            #expect(plain.body.contains(#""result":"duplicate""#), "\(plain)")
        }
    }

    @Test func aSignatureOverTheCompressedBytesIsRefused() async throws {
        try await AppFixture.withFresh { app in
            let booked = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let compressed = gzipStored(Self.started(booked.id))
            let answer = try await Self.post(app, Self.request(compressed, signed: compressed, encoding: "gzip"))
            #expect(answer.status == 401 && answer.body.contains("X-Signature does not match"), "\(answer)")
            #expect(try await Self.state(app, booked.id) == .scheduled)
        }
    }

    @Test func aBodyThatInflatesPastOneMiBIs413AndLoggedWithoutBeingApplied() async throws {
        try await AppFixture.withFresh { app in
            let answer = try await Self.post(app, Self.request(Self.bomb, signed: [], encoding: "gzip"))
            #expect(answer.status == 413, "\(answer)")
            #expect(answer.body.contains(#""code":8"#) && answer.body.contains("inflates to more than 1048576 bytes"), "\(answer)")
            let log = try await WebhookDeliveryLog(pool: app.pool).list(provider: .stream, outcome: nil, before: nil, limit: 10)
            #expect(log.map(\.delivery.outcome) == [.invalid])
            #expect(log.first?.delivery.reason == "refused: the gzip body inflates to more than 1048576 bytes")
            #expect(log.first?.delivery.bodySize == Self.bomb.count, "the row describes the bytes that arrived")
        }
    }

    @Test func aBodyThatClaimsGzipAndIsNotIs400() async throws {
        try await AppFixture.withFresh { app in
            let booked = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let json = Self.started(booked.id)
            var truncated = gzipStored(json)
            truncated.removeLast(6)
            for (body, encoding) in [(json, "gzip"), (truncated, "gzip"), ([0x1f, 0x8b, 0x08, 0x00, 0x01] as [UInt8], nil)] {
                let answer = try await Self.post(app, Self.request(body, signed: json, encoding: encoding))
                #expect(answer.status == 400 && answer.body.contains("not valid gzip data"), "\(answer)")
            }
            #expect(try await Self.state(app, booked.id) == .scheduled)
        }
    }

    @Test(arguments: ["br", "deflate", "gzip, br", "compress"])
    func otherEncodingsAre415(encoding: String) async throws {
        try await AppFixture.withFresh { app in
            let booked = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let json = Self.started(booked.id)
            let answer = try await Self.post(app, Self.request(json, signed: json, encoding: encoding))
            #expect(answer.status == 415 && answer.body.contains("Content-Encoding \(encoding) is not accepted"), "\(answer)")
            #expect(try await Self.state(app, booked.id) == .scheduled)
        }
    }
}
