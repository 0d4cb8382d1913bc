import BookingDomain
import BookingStore
import Calendly
import Foundation
import Logging

/// Turns verified Calendly deliveries into calls through the same store and rules as the RPCs
/// (issue 5): `invitee.created` books, `invitee.canceled` cancels or ends a call as
/// rescheduled, `invitee_no_show.*` marks and unmarks a customer no-show.
///
/// Exactly once: each delivery is recorded in `WebhookDeliveryLedger` in the transaction of its
/// effect, so a retry, or the same delivery racing on another replica, changes nothing. What
/// needs async reads (the expert directory, Calendly's API) happens before that transaction;
/// the transaction itself only reads and writes rows, and may run twice (serialization retry).
///
/// A delivery about a call that cannot take it (cancelling a completed call, an unknown
/// invitee) is recorded as ignored and still acknowledged: Calendly would retry a non-2xx for a
/// day and then disable the subscription, and a retry cannot make it apply.
struct CalendlyBookings: Sendable {
    let calls: CallRepository
    let directory: ExpertDirectory
    let experts: ExpertRepository
    let ledger: WebhookDeliveryLedger
    /// Fetches the scheduled event when a payload lacks it or its hosts.
    let client: CalendlyClient
    /// `CALENDLY_TOPIC_QUESTION`: the booking question whose answer is the topic.
    let topicQuestion: String?
    let logger: Logger
    let now: @Sendable () -> Date

    /// The actor of every change a delivery makes, in `calls.call_events`.
    static let actor = "calendly"
    /// A matched expert taken by a concurrent booking is matched again this many times; then
    /// the call is stored without an expert for an admin.
    static let assignmentAttempts = 3

    /// What a delivery did; the endpoint answers it as JSON.
    struct Result: Sendable, Equatable {
        enum Kind: String, Sendable { case applied, duplicate, ignored }
        var kind: Kind
        var detail: String
        var callID: CallID?

        static func ignored(_ detail: String, callID: CallID? = nil) -> Result {
            Result(kind: .ignored, detail: detail, callID: callID)
        }
        static func applied(_ detail: String, callID: CallID?) -> Result {
            Result(kind: .applied, detail: detail, callID: callID)
        }
    }

    func apply(_ webhook: CalendlyWebhook) async throws -> Result {
        let key = webhook.deliveryKey.description
        if case .other(let name, _) = webhook.event {
            return .ignored("\(name) is not an event booking handles")
        }
        // A retry of a delivery already applied needs no directory reads or API calls.
        if try await self.ledger.contains(provider: .calendly, key: key) {
            return Result(kind: .duplicate, detail: "delivery already applied", callID: nil)
        }
        switch webhook.event {
        case .inviteeCreated(let invitee):
            return try await self.book(invitee, key: key, event: webhook.name)
        case .inviteeCanceled(let invitee):
            // A cancellation may overtake its own booking (whose delivery failed and is being
            // retried): the call is then recorded from it, cancelled, and the booking finds it.
            let unbooked = try await self.calls.find(calendlyInviteeURI: invitee.uri) == nil
            let draft = unbooked ? try await self.draftOfUnbookedCall(invitee) : nil
            return try await self.record(key: key, event: webhook.name) { connection in
                try Self.cancel(invitee, recording: draft, now: self.now(), lifecycle: self.calls.lifecycle, on: connection)
            }
        case .noShowCreated(let noShow), .noShowDeleted(let noShow):
            let marked = if case .noShowCreated = webhook.event { true } else { false }
            return try await self.record(key: key, event: webhook.name) { connection in
                try Self.setNoShow(
                    of: noShow.inviteeURI, marked: marked, now: self.now(), lifecycle: self.calls.lifecycle, on: connection)
            }
        case .other:
            return .ignored("\(webhook.name) is not an event booking handles")
        }
    }

    /// Runs `effect` in the ledger's transaction with the delivery's row.
    func record(
        key: String, event: String, _ effect: @escaping @Sendable (PGConnection) throws -> Result
    ) async throws -> Result {
        let recorded = try await self.ledger.apply(provider: .calendly, key: key, event: event) { connection in
            let result = try effect(connection)
            let summary = result.kind == .ignored ? "ignored: \(result.detail)" : result.detail
            return WebhookDeliveryLedger.Outcome(result, summary: summary, callID: result.callID?.uuid)
        }
        switch recorded {
        case .applied(let result): return result
        case .duplicate: return Result(kind: .duplicate, detail: "delivery already applied", callID: nil)
        }
    }

    // MARK: - invitee.canceled

    /// Cancels the invitee's call. A reschedule's half (`rescheduled: true`) ends it as
    /// rescheduled, linked to the new call when that has arrived already (else the new call
    /// links itself when it does).
    /// `draft` is the call to record first when none was booked by the invitee.
    static func cancel(
        _ invitee: Invitee, recording draft: BookingDomain.Call?, now: Date, lifecycle: CallLifecycleJobs,
        on connection: PGConnection
    ) throws -> Result {
        let booked = try CallRepository.find(calendlyInviteeURI: invitee.uri, forUpdate: true, on: connection)
        guard
            let call = try booked
                ?? draft.map({
                    try CallRepository.insert(
                        $0, requestID: nil, specialty: "", actor: Self.actor, lifecycle: lifecycle, on: connection)
                })
        else {
            return .ignored("no call was booked by this invitee, and the event's details are unknown")
        }
        let replacement = try invitee.rescheduled
            ? invitee.newInvitee.flatMap { try CallRepository.find(calendlyInviteeURI: $0, forUpdate: false, on: connection) }
            : nil
        let reason = invitee.rescheduled ? BookingDomain.Call.rescheduledReason : Self.cancellationReason(invitee.cancellation)
        var refusal: String?
        let stored = try Self.change(call.id, lifecycle: lifecycle, on: connection) { current in
            if current.state == .cancelled {
                guard invitee.rescheduled, current.rescheduledTo == nil, let replacement else { return nil }
                var linked = current
                linked.rescheduledTo = replacement.id
                return (linked, "reschedule_linked")
            }
            var lifecycle = CallLifecycle(call: current)
            switch lifecycle.cancel(reason: reason, at: now) {
            case .persist(let reason, _):
                var changed = current
                changed.state = .cancelled
                changed.cancellationReason = reason
                changed.rescheduledTo = replacement?.id
                return (changed, invitee.rescheduled ? "rescheduled" : "cancelled")
            case .reject(let error):
                refusal = error.message
                return nil
            }
        }
        if let refusal { return .ignored(refusal, callID: call.id) }
        guard let stored else {
            return .ignored("the call was cancelled already", callID: call.id)
        }
        return .applied(invitee.rescheduled ? "ended the call as rescheduled" : "cancelled the call", callID: stored.id)
    }

    /// The reason, and who cancelled in Calendly, as `cancellation_reason` shows them: "Conflict
    /// (cancelled in Calendly by Dana Lee, invitee)". Capped at the lifecycle's maximum.
    static func cancellationReason(_ cancellation: Cancellation?) -> String {
        let reason = cancellation?.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let who = [cancellation?.canceledBy, cancellation?.cancelerType]
            .compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        let by = who.isEmpty ? "cancelled in Calendly" : "cancelled in Calendly by \(who.joined(separator: ", "))"
        let suffix = reason.isEmpty ? by : " (\(by))"
        let room = CallLifecycle.maximumReasonLength - (reason.isEmpty ? 0 : suffix.count)
        return reason.isEmpty ? String(by.prefix(CallLifecycle.maximumReasonLength)) : String(reason.prefix(max(room, 0))) + suffix
    }

    // MARK: - invitee_no_show.created / .deleted

    /// Marks the invitee (the customer) as not having shown, or undoes that, returning the call
    /// to the state the event log shows before the mark.
    static func setNoShow(
        of inviteeURI: String, marked: Bool, now: Date, lifecycle: CallLifecycleJobs, on connection: PGConnection
    ) throws -> Result {
        guard let call = try CallRepository.find(calendlyInviteeURI: inviteeURI, forUpdate: true, on: connection) else {
            return .ignored("no call was booked by this invitee")
        }
        let previous = marked ? nil : try CallRepository.stateBeforeNoShow(call.id, on: connection)
        var refusal: String?
        let stored = try Self.change(call.id, lifecycle: lifecycle, on: connection) { current in
            var lifecycle = CallLifecycle(call: current)
            var changed = current
            if marked {
                switch lifecycle.markNoShow(party: .customer, at: now) {
                case .persist(_, let party):
                    changed.state = .noShow
                    changed.noShowParty = party
                    return (changed, "no_show_marked")
                case .updateParty(let party):
                    changed.noShowParty = party
                    return (changed, "no_show_party_widened")
                case .alreadyMarked:
                    return nil
                case .reject(let error):
                    refusal = error.message
                    return nil
                }
            }
            switch lifecycle.unmarkNoShow(previous: previous ?? .scheduled) {
            case .persist(let restored):
                changed.state = restored
                changed.noShowParty = nil
                return (changed, "no_show_unmarked")
            case .notMarked:
                return nil
            case .reject(let error):
                refusal = error.message
                return nil
            }
        }
        if let refusal { return .ignored(refusal, callID: call.id) }
        guard let stored else {
            return .ignored(marked ? "the call was marked a no-show already" : "the call was not marked a no-show", callID: call.id)
        }
        return .applied(marked ? "marked the customer a no-show" : "unmarked the no-show", callID: stored.id)
    }

    /// `CallRepository.update` by this actor; nil when `decide` changed nothing.
    static func change(
        _ id: CallID, lifecycle: CallLifecycleJobs, on connection: PGConnection,
        _ decide: (BookingDomain.Call) throws -> (changed: BookingDomain.Call, eventKind: String)?
    ) throws -> BookingDomain.Call? {
        var changed = false
        let stored = try CallRepository.update(id, actor: Self.actor, lifecycle: lifecycle, on: connection) { current in
            let decision = try decide(current)
            changed = decision != nil
            return decision
        }
        return changed ? stored : nil
    }
}
