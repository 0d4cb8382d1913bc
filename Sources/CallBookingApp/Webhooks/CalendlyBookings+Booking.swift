import OutboundHTTP
import BookingDomain
import BookingStore
import Calendly
import Foundation
import Logging

/// `invitee.created`: a new call, or the new half of a reschedule.
extension CalendlyBookings {
    func book(_ invitee: Invitee, key: String, event name: String, deliveredAt: Date) async throws -> Result {
        if let existing = try await self.calls.find(calendlyInviteeURI: invitee.uri) {
            // Recorded already, from another delivery about this invitee (its cancellation came
            // first): nothing to match.
            return try await self.record(key: key, event: name) { _ in
                .ignored("the invitee's call exists already", callID: existing.id)
            }
        }
        let event = try await self.scheduledEvent(of: invitee)
        guard event.startTime < event.endTime else {
            throw ProviderError(.calendly, .malformedPayload, "the scheduled event ends before it starts")
        }
        let slot = TimeSlot(start: event.startTime, end: event.endTime)
        let customer = self.customer(of: invitee, bookedAt: deliveredAt)
        // The call this one replaces, read now for its expert; locked again in the transaction.
        let previous = try await invitee.oldInvitee.asyncFlatMap { try await self.calls.find(calendlyInviteeURI: $0) }
        let now = self.now()
        var attempt = 0
        while true {
            attempt += 1
            let choice: ExpertChoice
            if attempt > Self.assignmentAttempts {
                choice = ExpertChoice(
                    expert: nil,
                    assignment: Assignment(
                        reason: .matched,
                        note: "every expert matched was booked by someone else meanwhile; an admin must reassign"))
            } else {
                choice = try await self.chooseExpert(
                    for: slot, hosts: event.eventMemberships, replacing: previous, customerUserID: customer.userID)
            }
            let call = BookingDomain.Call(
                id: CallID(UUID()), expertID: choice.expertID, assignment: choice.assignment, customer: customer,
                topic: Self.topic(of: invitee, event: event, question: self.topicQuestion), customerContext: Self.context(of: invitee),
                scheduledStart: slot.start, scheduledEnd: slot.end, calendlyEventURI: event.uri,
                calendlyInviteeURI: invitee.uri, createdAt: now, updatedAt: now,
                preparationInstructions: self.preparation.instructions(expert: choice.expert, specialty: ""))
            do {
                return try await self.record(key: key, event: name) { transaction in
                    try Self.insert(call, replacing: invitee.oldInvitee, in: transaction)
                }
            } catch let error as StoreError where choice.expertID != nil && error.refusal?.isExpertUnavailable == true {
                // Another booking took the expert between the read and the insert (the delivery's
                // ledger row rolled back with it): choose again.
                self.logger.info(
                    "Calendly booking lost its expert to a concurrent booking; choosing again",
                    metadata: ["attempt": "\(attempt)", "refusal": "\(error.refusal.map { "\($0)" } ?? "")"])
            }
        }
    }

    /// Inserts the call; for a reschedule, ends the old call first (so its time is free for the
    /// new one, which often overlaps it) and links the two.
    static func insert(
        _ call: BookingDomain.Call, replacing oldInviteeURI: String?, in transaction: CallTransaction
    ) throws -> Result {
        if let existing = try transaction.call(calendlyInviteeURI: call.calendlyInviteeURI ?? "", lock: false) {
            return .ignored("the invitee's call exists already", callID: existing.id)
        }
        let lifecycle = transaction.lifecycle
        var call = call
        var old = try oldInviteeURI.flatMap { try transaction.call(calendlyInviteeURI: $0, lock: true) }
        if let current = old, current.state == .scheduled {
            old = try transaction.change(current.id, actor: Self.actor) { current in
                lifecycle.cancel(current, reason: BookingDomain.Call.rescheduledReason, at: transaction.now, kind: .rescheduled)
            }?.call ?? current
        }
        call.rescheduledFrom = old?.id
        let stored = try transaction.insert(lifecycle.book(call), requestID: nil, specialty: "", actor: Self.actor)
        // Only a CANCELLED call may point at its replacement (a call that already ran keeps its
        // outcome; the new call still names it as its origin).
        if let old {
            try transaction.change(old.id, actor: Self.actor) { current in
                lifecycle.linkReschedule(current, to: stored.id, at: transaction.now)
            }
        }
        let detail = old == nil ? "booked a call" : "booked the rescheduled call"
        return .applied(detail, callID: stored.id)
    }

    /// The call a cancellation records when its booking has not arrived: without an expert
    /// (it occupies nobody's time), its host named in the note. Nil when the event's times are
    /// unknown (not in the payload, and Calendly's API did not give them).
    func draftOfUnbookedCall(_ invitee: Invitee, deliveredAt: Date) async throws -> BookingDomain.Call? {
        guard let event = try? await self.scheduledEvent(of: invitee), event.startTime < event.endTime else { return nil }
        let host = try await self.host(among: event.eventMemberships)
        let now = self.now()
        return BookingDomain.Call(
            id: CallID(UUID()), expertID: nil,
            assignment: Assignment(
                reason: .calendlyHost,
                note: "cancelled in Calendly before its booking arrived"
                    + (host.map { "; the host was expert \($0.id.uuidString)" } ?? "")),
            customer: self.customer(of: invitee, bookedAt: deliveredAt), topic: Self.topic(of: invitee, event: event, question: self.topicQuestion),
            customerContext: Self.context(of: invitee), scheduledStart: event.startTime, scheduledEnd: event.endTime,
            calendlyEventURI: event.uri, calendlyInviteeURI: invitee.uri, createdAt: now, updatedAt: now)
    }

    /// The payload's scheduled event, or Calendly's when the payload lacks it, its hosts or its
    /// name. When the API cannot be reached, a payload that has the event goes ahead with it
    /// (no host means matching); one without it fails, and Calendly retries.
    func scheduledEvent(of invitee: Invitee) async throws -> ScheduledEvent {
        if let event = invitee.scheduledEvent, !event.eventMemberships.isEmpty, event.name != nil { return event }
        do {
            return try await self.client.scheduledEvent(invitee.eventURI)
        } catch {
            guard let event = invitee.scheduledEvent else { throw error }
            self.logger.warning(
                "Calendly scheduled event could not be fetched; booking with the payload's details",
                metadata: ["event": "\(invitee.eventURI)", "error": "\(error)"])
            return event
        }
    }

    /// Name, email and zone from the invitee; the Clerk user id from `tracking.utm_content`
    /// when it is a `BookingLinkToken` of ours, unexpired when the booking was delivered
    /// (Calendly's signed `created_at`, the same on every retry). Anything else, including a
    /// bare user id that anyone could type into a Calendly URL, leaves the call unclaimed until
    /// the customer with that verified email claims it (`BookingClaims`).
    func customer(of invitee: Invitee, bookedAt: Date) -> BookingDomain.Customer {
        var userID = ""
        if let secret = self.bookingLinkSecret,
           let text = invitee.tracking?.utmContent?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
        {
            do {
                userID = try BookingLinkToken.verify(text, secret: secret, bookedAt: bookedAt).userID
            } catch {
                self.logger.info(
                    "Calendly booking left unclaimed: utm_content is not a valid booking link",
                    metadata: ["invitee": "\(invitee.uri)", "reason": "\(error)"])
            }
        }
        return BookingDomain.Customer(
            userID: userID, email: invitee.email, name: invitee.name, timeZone: invitee.timezone ?? "")
    }

    /// The answers, in the form's order.
    static func context(of invitee: Invitee) -> [QuestionAnswer] {
        invitee.questionsAndAnswers.map { QuestionAnswer(question: $0.question, answer: $0.answer) }
    }

    /// The answer to `CALENDLY_TOPIC_QUESTION` (question compared ignoring case and outer
    /// spaces) when set and answered, else the event's name.
    static func topic(of invitee: Invitee, event: ScheduledEvent, question: String?) -> String {
        if let wanted = question?.trimmingCharacters(in: .whitespaces), !wanted.isEmpty,
            let answer = invitee.questionsAndAnswers.first(where: {
                $0.question.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare(wanted) == .orderedSame
            })?.answer.trimmingCharacters(in: .whitespacesAndNewlines), !answer.isEmpty
        {
            return answer
        }
        return event.name ?? ""
    }
}

extension Optional {
    /// `flatMap` for an async transform.
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
