import BookingDomain

/// The Stream call that hosts a booking: type `STREAM_CALL_TYPE`, id the booking's UUID in
/// lower case (letters, digits and `-`, all allowed in Stream call ids). Derived, never stored
/// per call, so every replica and every path names the same room.
struct VideoRoomName: Sendable, Hashable {
    let callType: String
    let callID: String

    init(callType: String, call id: CallID) {
        self.callType = callType
        self.callID = id.uuidString
    }

    /// `"<type>:<id>"`, how tokens and webhooks name a call.
    var cid: String { "\(self.callType):\(self.callID)" }
}
