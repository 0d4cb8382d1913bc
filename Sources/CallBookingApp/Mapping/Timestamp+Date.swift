import BookingDomain
import Foundation
import ProtoWire

extension Timestamp {
    /// A timestamp the client must send: absent or out of range is INVALID_ARGUMENT naming it.
    static func required(_ timestamp: Timestamp?, field: String) throws(BookingError) -> Date {
        guard let timestamp else { throw .invalidArgument("\(field) is required") }
        guard timestamp.isValid else { throw .invalidArgument("\(field) is out of range") }
        return timestamp.date
    }
}
