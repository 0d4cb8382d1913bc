public import Foundation

/// The id of a call: a UUID, sent as its text on the wire and stored as `uuid` in PostgreSQL.
///
/// A distinct type from `ExpertID` so that the two cannot be swapped in a repository call.
public struct CallID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let uuid: UUID

    public init(_ uuid: UUID) { self.uuid = uuid }

    /// Parses client or provider text; `field` names the request field in the error.
    public init(validating text: String, field: String = "id") throws(BookingError) {
        guard let uuid = UUIDText.parse(text) else {
            throw .invalidArgument("\(field) must be a UUID, got \(InputText.quoted(text))")
        }
        self.uuid = uuid
    }

    /// Lower-case canonical text, as PostgreSQL prints a `uuid`.
    public var uuidString: String { self.uuid.uuidString.lowercased() }
    public var description: String { self.uuidString }

    public static func < (lhs: CallID, rhs: CallID) -> Bool { lhs.uuidString < rhs.uuidString }
}
