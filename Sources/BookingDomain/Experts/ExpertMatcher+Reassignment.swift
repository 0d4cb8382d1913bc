public import Foundation

/// `ReassignCall`: the same ranking and rules as matching, excluding the call's expert.
extension ExpertMatcher {
    /// The next best expert for `call` (`ReassignCall` with an empty `expert_id`), recorded as
    /// REASSIGNED with `reason` as the note. The call's current expert is never chosen and is
    /// listed as such; the customer's own holds do not block.
    ///
    /// `candidates` are matched for the call's slot; their `booked` ranges must not contain
    /// the call itself (it belongs to the current expert, so other experts' ranges do not).
    /// `rules` defaults to the call's own: `.calendly` for a Calendly booking (Calendly chose
    /// its time), `.all` otherwise. Only a SCHEDULED call can move.
    public static func reassign(
        _ call: Call, candidates: [MatchCandidate], specialty: String = "", reason: String, now: Date,
        rules: RuleSet? = nil
    ) throws(BookingError) -> ExpertMatch {
        try Self.refuseUnlessScheduled(call)
        try FieldRules.length(reason, atMost: Self.maximumReassignReasonLength, field: "reason")
        let ranked = Self.rank(
            candidates, slot: call.scheduled, specialty: specialty, topic: call.topic, now: now,
            for: call.customer.userID,
            rules: rules ?? Self.rules(of: call), excluding: call.expertID.map { [$0] } ?? [])
        guard ranked.chosen != nil else { throw ranked.noMatchError }
        return ExpertMatch(
            chosen: ranked.chosen, candidates: ranked.candidates, slot: ranked.slot, specialty: specialty,
            reason: .reassigned, note: Self.note(for: call, reason: reason))
    }

    /// `ReassignCall` naming the expert: `candidate` must pass the same `check`, and its
    /// refusal is the error (ALREADY_EXISTS when taken, else FAILED_PRECONDITION naming the
    /// rule). The assignment lists only that expert.
    public static func reassign(
        _ call: Call, to candidate: MatchCandidate, reason: String, now: Date, rules: RuleSet? = nil
    ) throws(BookingError) -> ExpertMatch {
        try Self.refuseUnlessScheduled(call)
        try FieldRules.length(reason, atMost: Self.maximumReassignReasonLength, field: "reason")
        if candidate.expert.id == call.expertID {
            throw .failedPrecondition("the call is already assigned to expert \(candidate.expert.id)")
        }
        if let refusal = candidate.availability.check(
            call.scheduled, now: now, for: call.customer.userID, rules: rules ?? Self.rules(of: call))
        {
            throw refusal.error
        }
        let ranked = Self.rank([candidate], slot: call.scheduled, specialty: "", now: now, for: call.customer.userID,
                               rules: rules ?? Self.rules(of: call))
        return ExpertMatch(
            chosen: candidate.expert.id, candidates: ranked.candidates, slot: call.scheduled, specialty: "",
            reason: .reassigned, note: Self.note(for: call, reason: reason))
    }

    /// The longest `reason` kept: a sentence for the event log, like a call's topic.
    public static let maximumReassignReasonLength = CallLimits.maximumTopicLength

    private static func refuseUnlessScheduled(_ call: Call) throws(BookingError) {
        guard call.state == .scheduled else {
            throw .failedPrecondition("only a SCHEDULED call can be reassigned, this one is \(call.state)")
        }
    }

    private static func rules(of call: Call) -> RuleSet {
        call.calendlyEventURI == nil ? .all : .calendly
    }

    /// "reassigned from <id>: <reason>", so the note says where the call came from.
    private static func note(for call: Call, reason: String) -> String {
        let from = call.expertID.map { "reassigned from expert \($0)" } ?? "assigned by an admin"
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        return why.isEmpty ? from : "\(from): \(why)"
    }
}
