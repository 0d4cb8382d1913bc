import OutboundHTTP
import BookingDomain
import BookingStore
import Foundation
import Logging
import StreamVideo

/// The `RoomSetupJob`: get-or-create the booking's Stream call with its expert as
/// `host` and its customer as `call_member` (each when known: an expert without a Clerk user,
/// or a Calendly booking not yet claimed, joins later by token), recording on automatically,
/// screen sharing for the expert only, and its chat channel (`StreamClient.setUpRoom`).
///
/// The same job runs again when the call's people change (`CallEffect.syncRoomMembers`:
/// a reassignment, a claimed booking) and brings the members up to date, since it reads the
/// call as it is now. Idempotent, so a retried or repeated job is harmless; a cancelled call
/// gets no room.
struct VideoRoomSetup: Sendable {
    let video: VideoRepository
    let client: StreamClient
    let callType: String
    let logger: Logger

    func register(in handlers: inout JobHandlers) {
        let setup = self
        handlers.register(RoomSetupJob.self) { payload, _ in try await setup.run(payload) }
    }

    func run(_ payload: RoomSetupJob.Payload) async throws {
        let id = payload.callID
        guard let (call, expertUserID, expertName) = try await self.video.callForRoom(id) else {
            throw JobFailure("no call \(id)", permanent: true)
        }
        if call.state == .cancelled {
            self.logger.info("video room not created: the call was cancelled", metadata: ["call": "\(id)"])
            return
        }
        let room = VideoRoomName(callType: self.callType, call: id)
        do {
            let report = try await self.client.setUpRoom(Self.setup(for: call, room: room, expertUserID, expertName))
            try await self.video.markRoomReady(id, callType: room.callType, streamCallID: room.callID)
            var metadata: Logger.Metadata = ["call": "\(id)", "cid": "\(room.cid)", "chat": "\(report.chatChannelCID)"]
            if !report.memberChanges.isEmpty {
                metadata["members_updated"] = "\(report.memberChanges.update.map(\.userID))"
                metadata["members_removed"] = "\(report.memberChanges.remove)"
            }
            self.logger.info(report.created ? "video room created" : "video room up to date", metadata: metadata)
        } catch let error as ProviderError {
            throw JobFailure(error.description, permanent: !error.isRetryable)
        }
    }

    static func setup(for call: Call, room: VideoRoomName, _ expertUserID: String?, _ expertName: String?) -> StreamCallSetup {
        var members: [StreamCallSetup.Member] = []
        if let expertUserID, !expertUserID.isEmpty {
            members.append(
                .init(userID: expertUserID, name: expertName ?? "", role: CallTokenIssuer.expertRole, mayShareScreen: true))
        }
        if !call.customer.userID.isEmpty, call.customer.userID != expertUserID {
            members.append(.init(userID: call.customer.userID, name: call.customer.name, role: CallTokenIssuer.customerRole))
        }
        return StreamCallSetup(
            callID: room.callID, startsAt: call.scheduledStart, members: members, custom: ["booking_id": call.id.uuidString])
    }
}
