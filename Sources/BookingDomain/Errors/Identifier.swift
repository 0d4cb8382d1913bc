public import Foundation

/// What an `Identifier` names: the request field its parse errors mention by default.
public protocol IdentifierTag: Sendable {
    static var field: String { get }
}

/// The id of a stored thing: a UUID, sent as its text on the wire and stored as `uuid` in
/// PostgreSQL. The tag keeps a call's id from being passed where an expert's is expected.
///
/// `Comparable` by canonical text: matching breaks its last tie by id, and PostgreSQL orders
/// `uuid` values the same way (byte-wise, which is the order of the lower-case hex text).
public struct Identifier<Tag: IdentifierTag>: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let uuid: UUID

    public init(_ uuid: UUID) { self.uuid = uuid }

    /// A new random id.
    public init() { self.uuid = UUID() }

    /// Parses client or provider text; `field` names the request field in the error.
    public init(validating text: String, field: String = Tag.field) throws(BookingError) {
        guard let uuid = UUIDText.parse(text) else {
            throw .invalidArgument("\(field) must be a UUID, got \(InputText.quoted(text))")
        }
        self.uuid = uuid
    }

    /// Lower-case canonical text, as PostgreSQL prints a `uuid`.
    public var uuidString: String { UUIDText.format(self.uuid) }
    public var description: String { self.uuidString }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.uuidString < rhs.uuidString }
}

extension Call {
    public enum IDTag: IdentifierTag { public static let field = "id" }
}

extension Expert {
    public enum IDTag: IdentifierTag { public static let field = "expert_id" }
}

public typealias CallID = Identifier<Call.IDTag>
public typealias ExpertID = Identifier<Expert.IDTag>

/// As its canonical text, so a job payload or a JSON log names it the way the API does.
extension Identifier: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let uuid = UUIDText.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a UUID: \(text)")
        }
        self.uuid = uuid
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.uuidString)
    }
}
