import BookingDomain
import BookingStore
import Calendly
import Foundation
import Logging

/// Turns verified Calendly deliveries into calls through the same store and rules as the RPCs:
/// `invitee.created` books, `invitee.canceled` cancels or ends a call as rescheduled, `invitee_no_show.*` marks and unmarks a customer no-show.
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
    /// `BOOKING_LINK_SECRET`: verifies `utm_content`; nil: it is ignored.
    let bookingLinkSecret: [UInt8]?
    let logger: Logger
    let now: @Sendable () -> Date
    /// `PREPARATION_FILE`'s defaults: each booking stores the text it resolves to.
    var preparation = PreparationGuide.builtIn

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
            return try await self.book(invitee, key: key, event: webhook.name, deliveredAt: webhook.createdAt)
        case .inviteeCanceled(let invitee):
            // A cancellation may overtake its own booking (whose delivery failed and is being
            // retried): the call is then recorded from it, cancelled, and the booking finds it.
            let unbooked = try await self.calls.find(calendlyInviteeURI: invitee.uri) == nil
            let draft = unbooked ? try await self.draftOfUnbookedCall(invitee, deliveredAt: webhook.createdAt) : nil
            return try await self.record(key: key, event: webhook.name) { transaction in
                try Self.cancel(invitee, recording: draft, in: transaction)
            }
        case .noShowCreated(let noShow), .noShowDeleted(let noShow):
            let marked = if case .noShowCreated = webhook.event { true } else { false }
            return try await self.record(key: key, event: webhook.name) { transaction in
                try Self.setNoShow(of: noShow.inviteeURI, marked: marked, in: transaction)
            }
        case .other:
            return .ignored("\(webhook.name) is not an event booking handles")
        }
    }

    /// Runs `effect` in the ledger's transaction with the delivery's row.
    func record(
        key: String, event: String, _ effect: @escaping @Sendable (CallTransaction) throws -> Result
    ) async throws -> Result {
        let recorded = try await self.ledger.apply(provider: .calendly, key: key, event: event) { transaction in
            let result = try effect(transaction)
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
    static func cancel(_ invitee: Invitee, recording draft: BookingDomain.Call?, in transaction: CallTransaction) throws
        -> Result
    {
        let lifecycle = transaction.lifecycle
        let booked = try transaction.call(calendlyInviteeURI: invitee.uri, lock: true)
        guard
            let call = try booked
                ?? draft.map({
                    try transaction.insert(lifecycle.book($0), requestID: nil, specialty: "", actor: Self.actor)
                })
        else {
            return .ignored("no call was booked by this invitee, and the event's details are unknown")
        }
        let replacement = try invitee.rescheduled
            ? invitee.newInvitee.flatMap { try transaction.call(calendlyInviteeURI: $0, lock: false) }
            : nil
        let reason = invitee.rescheduled ? BookingDomain.Call.rescheduledReason : Self.cancellationReason(invitee.cancellation)
        let outcome = try transaction.change(call.id, actor: Self.actor) { current in
            if current.state == .cancelled {
                guard invitee.rescheduled, let replacement else { return .noChange(current, effects: []) }
                return lifecycle.linkReschedule(current, to: replacement.id, at: transaction.now)
            }
            return lifecycle.cancel(
                current, reason: reason, at: transaction.now, kind: invitee.rescheduled ? .rescheduled : .cancelled,
                replacedBy: replacement?.id)
        }
        switch outcome?.decision {
        case .refused(let error)?:
            return .ignored(error.message, callID: call.id)
        case .change?:
            return .applied(invitee.rescheduled ? "ended the call as rescheduled" : "cancelled the call", callID: call.id)
        case .noChange?, nil:
            return .ignored("the call was cancelled already", callID: call.id)
        }
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
    static func setNoShow(of inviteeURI: String, marked: Bool, in transaction: CallTransaction) throws -> Result {
        guard let call = try transaction.call(calendlyInviteeURI: inviteeURI, lock: true) else {
            return .ignored("no call was booked by this invitee")
        }
        let lifecycle = transaction.lifecycle
        let previous = marked ? nil : try transaction.stateBeforeNoShow(call.id)
        let outcome = try transaction.change(call.id, actor: Self.actor) { current in
            marked
                ? lifecycle.markNoShow(current, party: .customer, at: transaction.now)
                : lifecycle.unmarkNoShow(current, previous: previous ?? .scheduled, at: transaction.now)
        }
        switch outcome?.decision {
        case .refused(let error)?:
            return .ignored(error.message, callID: call.id)
        case .change?:
            return .applied(marked ? "marked the customer a no-show" : "unmarked the no-show", callID: call.id)
        case .noChange?, nil:
            return .ignored(
                marked ? "the call was marked a no-show already" : "the call was not marked a no-show", callID: call.id)
        }
    }
}
