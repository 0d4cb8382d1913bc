public import BookingDomain

/// The jobs a call's changes cause, enqueued by the repositories in the transaction of the
/// change (the outbox): the video room's. Reminders, no-show checks and follow-ups are
/// `CallLifecycleJobs`', which need the lifecycle settings.
public enum CallJobs {
    /// Get-or-create the call's Stream room with both members. Payload `{"call_id": …}`;
    /// one per call (dedupe key: the call id).
    public static let videoRoomSetup = "video.room.setup"

    /// Every job a newly inserted call gets. Runs inside `CallRepository.insert`'s transaction:
    /// every booking path (CreateCall, Calendly) gets its room.
    static func enqueue(forNew call: Call, on connection: PGConnection) throws {
        try JobQueue.enqueue(Self.roomSetup(for: call.id), on: connection)
    }

    public static func roomSetup(for id: CallID) -> NewJob {
        NewJob(kind: Self.videoRoomSetup, payload: #"{"call_id":"\#(id.uuidString)"}"#, dedupeKey: id.uuidString)
    }
}
