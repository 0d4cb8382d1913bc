import BookingDomain
import BookingStore
import Calendly
import Foundation

/// The expert a Calendly booking goes to (CONTRACT "Calendly bookings"). Calendly
/// applied its own notice, horizon, hours and caps, so every check here uses `RuleSet.calendly`:
/// only what makes the expert truly unable to take the call (inactive, time off, another call
/// or its buffers, someone else's hold) counts.
///
/// In order: the expert of the call being rescheduled, when free (the reschedule keeps its
/// expert); the event's host, mapped to an expert by Calendly user URI or email; else the
/// matching and load balancing of `CreateCall` among the experts who share a specialty with the
/// host (any expert when there is no known host: team and round-robin event types); else no
/// expert, with a note for an admin to reassign.
struct ExpertChoice: Sendable {
    /// Nil: nobody could take the call; an admin must reassign.
    var expert: Expert?
    var assignment: Assignment

    var expertID: ExpertID? { self.expert?.id }
}

extension CalendlyBookings {
    func chooseExpert(
        for slot: TimeSlot, hosts: [EventMembership], replacing previous: BookingDomain.Call?, customerUserID: String
    ) async throws -> ExpertChoice {
        let now = self.now()
        var notes: [String] = []
        if let previous, let expertID = previous.expertID, let expert = try await self.directory.expert(expertID) {
            // The old call's own time does not count against it: it ends as this one is booked.
            let refusal = try await self.refusal(of: expert, for: slot, now: now, customerUserID: customerUserID) {
                $0.filter { !$0.overlaps(previous.scheduled) }
            }
            guard let refusal else {
                return ExpertChoice(
                    expert: expert,
                    assignment: Assignment(
                        reason: previous.assignment?.reason ?? .calendlyHost,
                        note: "kept the expert of the rescheduled call \(previous.id.uuidString)"))
            }
            notes.append("the rescheduled call's expert is not free (\(refusal))")
        }
        let host = try await self.host(among: hosts)
        if let host {
            guard let refusal = try await self.refusal(of: host, for: slot, now: now, customerUserID: customerUserID)
            else {
                return ExpertChoice(
                    expert: host, assignment: Assignment(reason: .calendlyHost, note: "the Calendly event's host"))
            }
            notes.append("the Calendly host \(host.name) is not free (\(refusal))")
        } else if !hosts.isEmpty {
            notes.append("no expert is linked to the Calendly host")
        }
        let candidates = try await self.directory.candidates(specialty: "", around: slot).filter { candidate in
            guard let host, !host.specialties.isEmpty else { return true }
            return host.specialties.contains(where: candidate.expert.hasSpecialty)
        }
        // The host and the old call's expert stay in: the same rules refuse them again, and the
        // candidates' explanations say why.
        let match = ExpertMatcher.rank(candidates, slot: slot, specialty: "", now: now, for: customerUserID, rules: .calendly)
        guard let chosen = match.chosen, let expert = candidates.first(where: { $0.expert.id == chosen })?.expert else {
            notes.append("no other expert is free; an admin must reassign")
            return ExpertChoice(
                expert: nil,
                assignment: Assignment(reason: .matched, note: notes.joined(separator: "; "), candidates: match.candidates))
        }
        return ExpertChoice(
            expert: expert,
            assignment: Assignment(reason: .matched, note: notes.joined(separator: "; "), candidates: match.candidates))
    }

    /// The first host that is one of our experts.
    func host(among hosts: [EventMembership]) async throws -> Expert? {
        for membership in hosts {
            guard let found = try await self.experts.find(calendlyUserURI: membership.user, orEmail: membership.userEmail)
            else { continue }
            return try await self.directory.expert(found.id)
        }
        return nil
    }

    /// Why `expert` cannot take `slot` under Calendly's rules, or nil when they can.
    private func refusal(
        of expert: Expert, for slot: TimeSlot, now: Date, customerUserID: String,
        adjustingBooked adjust: ([TimeSlot]) -> [TimeSlot] = { $0 }
    ) async throws -> SlotRefusal? {
        guard let read = try await self.directory.availability(of: [expert], around: slot)[expert.id] else {
            return nil
        }
        let availability = ExpertAvailability(expert: expert, booked: adjust(read.booked), calls: read.calls, holds: read.holds)
        return availability.check(slot, now: now, for: customerUserID, rules: .calendly)
    }
}
