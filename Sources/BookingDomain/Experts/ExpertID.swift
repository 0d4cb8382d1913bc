public import Foundation

/// The id of an expert: a UUID, sent as its text on the wire and stored as `uuid` in PostgreSQL.
///
/// `Comparable` by canonical text: matching breaks its last tie by id, and PostgreSQL orders
/// `uuid` values the same way (byte-wise, which is the order of the lower-case hex text).
public struct ExpertID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let uuid: UUID

    public init(_ uuid: UUID) { self.uuid = uuid }

    /// Parses client or provider text; `field` names the request field in the error.
    public init(validating text: String, field: String = "expert_id") throws(BookingError) {
        guard let uuid = UUIDText.parse(text) else {
            throw .invalidArgument("\(field) must be a UUID, got \(InputText.quoted(text))")
        }
        self.uuid = uuid
    }

    /// Lower-case canonical text, as PostgreSQL prints a `uuid`.
    public var uuidString: String { self.uuid.uuidString.lowercased() }
    public var description: String { self.uuidString }

    public static func < (lhs: ExpertID, rhs: ExpertID) -> Bool { lhs.uuidString < rhs.uuidString }
}
