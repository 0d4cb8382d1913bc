#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
public import Logging

/// Structured logs: one JSON object per line on stderr, with `timestamp` (RFC 3339 UTC,
/// milliseconds), `level`, `label`, `source`, `message`, and the metadata (the handler's,
/// the provider's, then the statement's, later ones winning) as top-level fields. A metadata
/// key that is one of those six names is written as `meta.<key>` rather than replacing it.
///
/// Every line passes through a `LogRedactor` before it is written, so a secret that slips
/// into an error description or a message still never reaches the log.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let redactor: LogRedactor
    private let write: @Sendable (String) -> Void

    /// `write` receives each line without its newline; by default it goes to stderr.
    public init(
        label: String, redactor: LogRedactor = LogRedactor(secrets: []),
        metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void = JSONLogHandler.writeToStandardError
    ) {
        self.label = label
        self.redactor = redactor
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    static let reservedKeys: Set<String> = ["timestamp", "level", "label", "source", "message", "error"]

    public func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        var line = JSONLine()
        line.field("timestamp", .string(Self.timestamp(Date())))
        line.field("level", .string(event.level.rawValue))
        line.field("label", .string(self.label))
        line.field("source", .string(event.source))
        line.field("message", .string(event.message.description))
        if let error = event.error { line.field("error", .string("\(error)")) }
        for key in merged.keys.sorted() {
            guard let value = merged[key] else { continue }
            line.field(Self.reservedKeys.contains(key) ? "meta.\(key)" : key, value)
        }
        self.write(self.redactor.redact(line.finished()))
    }

    /// One `write(2)` per line, so lines of concurrent threads never interleave.
    public static let writeToStandardError: @Sendable (String) -> Void = { line in
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                #if canImport(Glibc)
                let written = Glibc.write(STDERR_FILENO, base + offset, buffer.count - offset)
                #else
                let written = Darwin.write(STDERR_FILENO, base + offset, buffer.count - offset)
                #endif
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// `2026-11-25T18:43:37.123Z`, from the broken-down UTC time: no formatter, no locale.
    static func timestamp(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let milliseconds = Int((interval - interval.rounded(.down)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds), 3))Z"
    }
}

/// A JSON object written field by field.
struct JSONLine {
    private var text = "{"

    mutating func field(_ key: String, _ value: Logger.Metadata.Value) {
        if self.text.count > 1 { self.text += "," }
        Self.appendString(key, to: &self.text)
        self.text += ":"
        Self.appendValue(value, to: &self.text)
    }

    func finished() -> String { self.text + "}" }

    private static func appendValue(_ value: Logger.Metadata.Value, to text: inout String) {
        switch value {
        case .string(let string): Self.appendString(string, to: &text)
        case .stringConvertible(let convertible): Self.appendString(convertible.description, to: &text)
        case .array(let values):
            text += "["
            for (index, element) in values.enumerated() {
                if index > 0 { text += "," }
                Self.appendValue(element, to: &text)
            }
            text += "]"
        case .dictionary(let dictionary):
            text += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                Self.appendString(key, to: &text)
                text += ":"
                if let element = dictionary[key] { Self.appendValue(element, to: &text) }
            }
            text += "}"
        }
    }

    /// RFC 8259 string escaping: quotes, backslashes and control characters.
    static func appendString(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
