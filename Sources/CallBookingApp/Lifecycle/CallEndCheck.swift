import BookingDomain
import BookingStore
import Foundation
import Logging
import OutboundHTTP
import StreamVideo

/// The `CallEndCheckJob`, due at a call's end + `CALL_END_GRACE_SECONDS` once it is
/// IN_PROGRESS: a call whose `call.session_ended` never came (a lost delivery, a Stream outage)
/// is settled from what Stream says of its session (`CallLifecycle.settleOverdue`).
///
/// Stream's session is read with `GET …/call/{type}/{id}`. The participants it lists are
/// recorded as attendance, in the transaction that decides, so the verdict sees them. A session
/// that ended judges the call; one with people in it is checked again later; a call or session
/// Stream does not have, or a Stream that does not answer `attemptsBeforeAssuming` times, leaves
/// the call to be completed at the last attendance seen. The event log says which.
struct CallEndCheck: Sendable {
    let calls: CallRepository
    let client: StreamClient
    let callType: String
    let logger: Logger
    let now: @Sendable () -> Date

    /// The event log's actor of what the check decided.
    static let actor = "end-check"
    /// Attempts at reading Stream's session before the call is settled without it (with the
    /// queue's backoff, about a minute).
    static let attemptsBeforeAssuming = 4

    func register(in handlers: inout JobHandlers) {
        let check = self
        handlers.register(CallEndCheckJob.self) { payload, job in try await check.run(payload.callID, attempt: job.attempt) }
    }

    func run(_ id: CallID, attempt: Int) async throws {
        guard let call = try await self.calls.find(id), call.state == .inProgress else { return }
        let now = self.now()
        let (report, participants) =
            now >= self.calls.lifecycle.endCheckDeadline(of: call)
            ? try await self.ask(about: id, attempt: attempt) : (.notAsked, [])
        // Listed in a session that ended: they were there until its end.
        let leftAt: Date? = if case .ended(let at) = report { at } else { nil }
        let sessions = participants.map { participant in
            VideoRepository.ParticipantSession(
                userID: participant.userID, sessionID: nil, userSessionID: participant.userSessionID,
                streamRole: participant.role, joinedAt: participant.joinedAt,
                leftAt: leftAt.map { max($0, participant.joinedAt) }, durationSeconds: nil)
        }
        let outcome = try await self.calls.transaction { transaction in
            for session in sessions { _ = try transaction.recordParticipant(session, of: id) }
            return try transaction.change(id, actor: Self.actor) { call in
                transaction.lifecycle.settleOverdue(
                    call, report: report, attendance: try transaction.attendance(of: id), at: now)
            }
        }
        var metadata: Logger.Metadata = ["call": "\(id)", "report": "\(report)"]
        if let outcome, case .change(let change) = outcome.decision {
            metadata["event"] = "\(change.event.kind.rawValue)"
            self.logger.notice("settled a call whose session's end never arrived", metadata: metadata)
        } else {
            self.logger.info("end check: nothing to settle yet", metadata: metadata)
        }
    }

    /// Stream's word on the session. Throws (to retry) while Stream does not answer, until
    /// `attemptsBeforeAssuming`.
    private func ask(about id: CallID, attempt: Int) async throws
        -> (VideoSessionReport, [StreamCallSession.Participant])
    {
        let room = VideoRoomName(callType: self.callType, call: id)
        let session: StreamCallSession
        do {
            session = try await self.client.callSession(room.callID)
        } catch {
            if error.status == 404 { return (.unknown(reason: "Stream has no call \(room.cid)"), []) }
            if error.isRetryable, attempt < Self.attemptsBeforeAssuming { throw JobFailure(error.description) }
            return (.unknown(reason: "Stream did not say: \(error.detail)"), [])
        }
        if let ended = session.ended { return (.ended(at: ended), session.participants) }
        if !session.participants.isEmpty { return (.live, session.participants) }
        return (.unknown(reason: session.hasSession ? "Stream's session has not ended and is empty" : "Stream has no session"), [])
    }
}
