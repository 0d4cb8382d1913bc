public import Foundation

/// A kind of job: its name in `calls.jobs.kind` and the type of its payload. The worker looks
/// the name up once and decodes the payload as this type; a name nobody handles, or a payload
/// that does not decode, makes the job dead with the reason.
public protocol JobKind: Sendable {
    associatedtype Payload: Codable & Sendable & Hashable
    static var name: String { get }
}

/// A job to enqueue, in the transaction of the change that causes it.
public struct Job<Kind: JobKind>: Sendable, Hashable {
    public var payload: Kind.Payload
    /// Not before this time; nil is now.
    public var runAt: Date?
    /// Enqueueing a second job of the same kind and key does nothing: one room per call, one
    /// reminder per call and offset.
    public var dedupeKey: String?

    public init(_ payload: Kind.Payload, runAt: Date? = nil, dedupeKey: String? = nil) {
        self.payload = payload
        self.runAt = runAt
        self.dedupeKey = dedupeKey
    }

    /// The row's columns: the payload as a JSON object with sorted keys, so the same payload is
    /// always the same text.
    var row: NewJob {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        // Encoding a Codable struct of strings, ids and numbers cannot fail.
        let json = (try? encoder.encode(self.payload)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return NewJob(kind: Kind.name, payload: json, runAt: self.runAt, dedupeKey: self.dedupeKey)
    }
}

/// A claimed job's payload that is not its kind's.
public struct JobPayloadError: Error, CustomStringConvertible {
    public let kind: String
    public let reason: String
    public var description: String { "the payload of a \(self.kind) job does not decode: \(self.reason)" }
}

extension ClaimedJob {
    /// The payload as `Kind`'s type. A job whose payload does not decode can never succeed.
    public func payload<Kind: JobKind>(of kind: Kind.Type) throws(JobPayloadError) -> Kind.Payload {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            return try decoder.decode(Kind.Payload.self, from: Data(self.payload.utf8))
        } catch {
            throw JobPayloadError(kind: Kind.name, reason: "\(error)")
        }
    }
}
