import Foundation
import Logging
import Synchronization
import Testing

@testable import Observability

/// Lines a handler wrote, for assertions.
final class LineSink: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { self.lines.withLock { $0 } }
    func append(_ line: String) { self.lines.withLock { $0.append(line) } }

    func objects() throws -> [[String: Any]] {
        try self.all.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any])
        }
    }
}

@Suite struct JSONLogHandlerTests {
    private func logger(_ sink: LineSink, secrets: [String] = [], level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "call-booking") { label in
            JSONLogHandler(label: label, redactor: LogRedactor(secrets: secrets), write: sink.append)
        }
        logger.logLevel = level
        return logger
    }

    @Test func eachEventIsOneJSONObjectWithLevelLabelMessageAndMergedMetadata() throws {
        let sink = LineSink()
        var logger = self.logger(sink)
        logger[metadataKey: "request_id"] = "req-1"
        logger[metadataKey: "method"] = "old"
        logger.warning(
            "payment \"late\"\nsecond line",
            metadata: ["method": "loop.callbooking.v1.CallService/GetCall", "attempts": .stringConvertible(3),
                       "ids": ["a", "b"], "level": "spoofed"])
        #expect(sink.all.count == 1)
        #expect(!sink.all[0].contains("\n"))
        let object = try #require(try sink.objects().first)
        #expect(object["level"] as? String == "warning")
        #expect(object["label"] as? String == "call-booking")
        #expect(object["message"] as? String == "payment \"late\"\nsecond line")
        #expect(object["request_id"] as? String == "req-1")
        #expect(object["method"] as? String == "loop.callbooking.v1.CallService/GetCall")  // the statement's wins
        #expect(object["attempts"] as? String == "3")
        #expect(object["ids"] as? [String] == ["a", "b"])
        #expect(object["meta.level"] as? String == "spoofed")  // cannot replace the real level
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.count == 24 && timestamp.hasSuffix("Z"))
        #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: timestamp) != nil)
    }

    @Test func levelsBelowTheLoggersAreNotWritten() {
        let sink = LineSink()
        let logger = self.logger(sink, level: .notice)
        logger.info("quiet")
        logger.notice("loud")
        #expect(sink.all.count == 1)
    }

    @Test func secretsAndTokensAreRedactedWhereverTheyAppear() throws {
        let sink = LineSink()
        let secret = "sk_live_0123456789abcdef"
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEyMyJ9.c2lnbmF0dXJl-_x"
        let logger = self.logger(sink, secrets: [secret, "short"])
        logger.error(
            "could not reach the API with \(secret)",
            metadata: ["authorization": "Bearer \(jwt)", "note": "short words stay"])
        let line = try #require(sink.all.first)
        #expect(!line.contains(secret))
        #expect(!line.contains("c2lnbmF0dXJl"))
        #expect(!line.contains("eyJzdWIiOiJ1c2VyXzEyMyJ9"))
        let object = try #require(try sink.objects().first)
        #expect(object["message"] as? String == "could not reach the API with [REDACTED]")
        #expect(object["authorization"] as? String == "Bearer [REDACTED]")
        #expect(object["note"] as? String == "short words stay")
    }

    @Test func textThatOnlyLooksLikeTheStartOfAJWTIsKept() {
        #expect(LogRedactor.redactJWTs("eyJ alone, eyJabc without a dot") == "eyJ alone, eyJabc without a dot")
        #expect(LogRedactor.redactJWTs("x eyJa.b y") == "x [REDACTED] y")
    }

    @Test func controlCharactersAreEscaped() throws {
        var text = ""
        JSONLine.appendString("a\u{1}b\tc\\", to: &text)
        #expect(text == #""a\u0001b\tc\\""#)
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
