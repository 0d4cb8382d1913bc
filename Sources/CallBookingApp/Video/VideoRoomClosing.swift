import BookingDomain
import BookingStore
import Foundation
import Logging
import OutboundHTTP
import StreamVideo

/// The jobs that keep people out of a room that is no longer theirs:
///
/// - `RoomCloseJob` (a cancelled or rescheduled call): ends the Stream call for everyone
///   (`mark_ended`: no one can join it any more) and freezes its chat channel;
/// - `RoomAccessRevokeJob` (a reassigned call): blocks the previous expert in the call, so a
///   token issued to them before the change no longer lets them in. The members sync
///   (`VideoRoomSetup`) takes them off the call and its chat; if the call is given back to them,
///   that sync unblocks them again, and a block that arrives after that is skipped.
///
/// A room Stream never had (the call was cancelled before its room was set up) has nothing to
/// close. Errors Stream may answer differently later retry; the others are dead at once.
struct VideoRoomClosing: Sendable {
    let calls: CallRepository
    let experts: ExpertRepository
    let client: StreamClient
    let callType: String
    let logger: Logger

    func register(in handlers: inout JobHandlers) {
        let closing = self
        handlers.register(RoomCloseJob.self) { payload, _ in try await closing.close(payload.callID) }
        handlers.register(RoomAccessRevokeJob.self) { payload, _ in
            try await closing.revoke(payload.expertID, from: payload.callID)
        }
    }

    func close(_ id: CallID) async throws {
        let room = VideoRoomName(callType: self.callType, call: id)
        let ended = try await self.absentIsDone { try await self.client.endCall(room.callID) }
        let frozen = try await self.absentIsDone { try await self.client.freezeChannel(of: room.callID) }
        self.logger.info(
            "video room closed", metadata: ["call": "\(id)", "cid": "\(room.cid)", "ended": "\(ended)", "chat_frozen": "\(frozen)"])
    }

    func revoke(_ expertID: ExpertID, from id: CallID) async throws {
        guard let call = try await self.calls.find(id) else { throw JobFailure("no call \(id)", permanent: true) }
        var metadata: Logger.Metadata = ["call": "\(id)", "expert": "\(expertID)"]
        if call.expertID == expertID {
            self.logger.info("expert not blocked: the call is theirs again", metadata: metadata)
            return
        }
        guard let userID = try await self.experts.find(expertID)?.clerkUserID, !userID.isEmpty else {
            self.logger.info("expert not blocked: they have no Stream user", metadata: metadata)
            return
        }
        let room = VideoRoomName(callType: self.callType, call: id)
        metadata["blocked"] = "\(try await self.absentIsDone { try await self.client.blockUser(userID, inCall: room.callID) })"
        self.logger.info("previous expert blocked from the video room", metadata: metadata)
    }

    /// Runs a Stream request; false when Stream has no such call or channel (nothing to do).
    private func absentIsDone(_ request: () async throws -> Void) async throws -> Bool {
        do {
            try await request()
            return true
        } catch let error as ProviderError {
            if error.status == 404 { return false }
            throw JobFailure(error.description, permanent: !error.isRetryable)
        }
    }
}
