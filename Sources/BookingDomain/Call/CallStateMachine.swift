public import Foundation

/// The call state machine of the contract ("Rules the issues rely on: Call states"):
///
///     SCHEDULED   -> IN_PROGRESS | COMPLETED | CANCELLED | NO_SHOW
///     IN_PROGRESS -> COMPLETED | NO_SHOW
///     COMPLETED, CANCELLED: final (COMPLETED -> COMPLETED is a no-op)
///     NO_SHOW     -> the state before it, when the no-show is unmarked
///
/// A value, built from the stored call, asked one event, and thrown away: each event returns
/// an action the caller executes (write the row and its event-log row in one transaction,
/// end the video room…). It knows nothing of SQL or RPC; time is passed in.
public struct CallStateMachine: Sendable {
    public enum State: Hashable, Sendable {
        case scheduled
        case inProgress(startedAt: Date)
        /// `startedAt` is `nil` when CompleteCall ended a call nobody started on video.
        case completed(startedAt: Date?, endedAt: Date)
        case cancelled(reason: String)
        /// `startedAt` is kept so that unmarking can return to IN_PROGRESS.
        case noShow(party: NoShowParty, startedAt: Date?)
    }

    public internal(set) var state: State

    public init(state: State) { self.state = state }

    /// The machine for a stored call. Rows missing a time their state implies (which the
    /// schema's CHECKs should prevent) get the nearest known time rather than a trap.
    public init(call: Call) {
        switch call.state {
        case .scheduled:
            self.state = .scheduled
        case .inProgress:
            self.state = .inProgress(startedAt: call.startedAt ?? call.scheduledStart)
        case .completed:
            self.state = .completed(startedAt: call.startedAt, endedAt: call.endedAt ?? call.updatedAt)
        case .cancelled:
            self.state = .cancelled(reason: call.cancellationReason ?? "")
        case .noShow:
            self.state = .noShow(party: call.noShowParty ?? .both, startedAt: call.startedAt)
        }
    }

    /// The contract's name of the current state.
    public var callState: CallState {
        switch self.state {
        case .scheduled: return .scheduled
        case .inProgress: return .inProgress
        case .completed: return .completed
        case .cancelled: return .cancelled
        case .noShow: return .noShow
        }
    }

    /// FAILED_PRECONDITION naming the attempted move and both states.
    static func illegal(_ verb: String, from: CallState, to: CallState) -> BookingError {
        .failedPrecondition("cannot \(verb) a call that is \(from) (\(from) -> \(to) is not allowed)")
    }
}
