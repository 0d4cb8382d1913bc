import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore

extension Store {
    var holds: HoldRepository { HoldRepository(pool: self.pool) }

    /// Books `start ..< start + minutes` with the expert for `customer`.
    @discardableResult
    func book(
        _ expert: ExpertID, _ start: String, minutes: Int = 30, customer: String = "user_1", hold: UUID? = nil,
        calendly: Bool = false, buffers: StoredBuffers? = nil
    ) async throws -> Call {
        try await self.book(
            expert, at: Date.utc(start), minutes: minutes, customer: customer, hold: hold, calendly: calendly,
            buffers: buffers)
    }

    @discardableResult
    func book(
        _ expert: ExpertID, at start: Date, minutes: Int = 30, customer: String = "user_1", hold: UUID? = nil,
        calendly: Bool = false, buffers: StoredBuffers? = nil
    ) async throws -> Call {
        let call = Call(
            id: CallID(UUID()), expertID: expert, customer: Customer(userID: customer), topic: "taxes",
            scheduledStart: start, scheduledEnd: start + TimeInterval(minutes * 60),
            calendlyInviteeURI: calendly ? "https://calendly.test/invitees/\(UUID())" : nil, createdAt: start,
            updatedAt: start)
        return try await self.calls.insert(
            self.calls.lifecycle.book(call), requestID: nil, specialty: "tax", actor: "test", buffers: buffers,
            convertingHold: hold)
    }

    @discardableResult
    func hold(
        _ expert: ExpertID, _ start: String, minutes: Int = 30, customer: String = "user_1",
        expiresIn: Duration = .seconds(600)
    ) async throws -> StoredHold {
        try await self.hold(expert, at: Date.utc(start), minutes: minutes, customer: customer, expiresIn: expiresIn)
    }

    @discardableResult
    func hold(
        _ expert: ExpertID, at start: Date, minutes: Int = 30, customer: String = "user_1",
        expiresIn: Duration = .seconds(600)
    ) async throws -> StoredHold {
        try await self.holds.hold(
            expertID: expert, customerUserID: customer,
            slot: TimeSlot(start: start, end: start + TimeInterval(minutes * 60)), expiresIn: expiresIn)
    }

    /// Forces the call into `state`, as a test's shortcut past the lifecycle's rules (no effects).
    func setState(_ id: CallID, _ state: CallState, party: NoShowParty? = nil) async throws {
        try await self.calls.change(id, actor: "test") { call, _ in
            var changed = call
            changed.state = state
            changed.noShowParty = party
            let kind: CallEvent.Kind =
                switch state {
                case .scheduled: .noShowUnmarked
                case .inProgress: .sessionStarted
                case .completed: .completed
                case .cancelled: .cancelled
                case .noShow: .noShow
                }
            return .change(CallChange(call: changed, event: CallEvent(from: call.state, to: state, kind: kind), effects: []))
        }
    }

    /// One counter cell: `SELECT <column> FROM calls.<table> WHERE expert_id = … AND <key> = …`.
    func counter(_ table: String, _ column: String, _ expert: ExpertID, _ key: String, _ value: String) async throws
        -> Int
    {
        try await self.pool.withConnection { connection in
            try connection.execute(
                "SELECT \(column) AS n FROM calls.\(table) WHERE expert_id = $1::uuid AND \(key) = $2::date",
                [expert.uuidString, value]
            ).first?.int("n") ?? 0
        }
    }
}

/// Runs `attempts` closures at once and sorts their outcomes: successes, and failures by the
/// constraint (rule) named in their StoreError. Anything else is recorded as an issue.
func race<T: Sendable>(
    _ attempts: Int, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: @escaping @Sendable (Int) async throws -> T
) async -> (successes: [T], refusals: [String]) {
    await withTaskGroup(of: Result<T, any Error>.self) { group in
        for index in 0..<attempts {
            group.addTask {
                do { return .success(try await body(index)) } catch { return .failure(error) }
            }
        }
        var successes: [T] = []
        var refusals: [String] = []
        for await result in group {
            switch result {
            case .success(let value): successes.append(value)
            case .failure(let error as StoreError): refusals.append("\(error.code):\(error.constraint ?? "-")")
            case .failure(let error): Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
            }
        }
        return (successes, refusals)
    }
}
