import BookingDomain
import BookingStore
import Foundation

/// Experts as the rules see them: with their scheduling rules and date overrides attached,
/// and, around a slot or window, what else occupies them (calls with their buffers, holds,
/// call counts for the caps). Listing, holding and booking all read through here, so they
/// give `ExpertAvailability.check` the same inputs.
struct ExpertDirectory: Sendable {
    let experts: ExpertRepository
    let holds: HoldRepository
    let calls: CallRepository

    func expert(_ id: ExpertID) async throws -> Expert? {
        guard let found = try await self.experts.findWithScheduling(id) else { return nil }
        return found.expert.with(found.scheduling)
    }

    func experts(specialty: String, after: (name: String, id: ExpertID)?, limit: Int) async throws -> [Expert] {
        let listed = try await self.experts.list(specialty: specialty, after: after, limit: limit, includeInactive: false)
        let scheduling = try await self.experts.scheduling(of: listed.map(\.id))
        return listed.map { $0.with(scheduling[$0.id]) }
    }

    /// Each expert's availability around `window`, widened by the longest buffer so that a
    /// neighbouring call's buffer is seen.
    func availability(of experts: [Expert], around window: TimeSlot) async throws -> [ExpertID: ExpertAvailability] {
        try await self.availabilityAndHolds(of: experts, around: window).availability
    }

    /// `availability`, with the live holds it read as stored (ids, holders), so that a booking
    /// can find the hold it converts without reading them again.
    func availabilityAndHolds(of experts: [Expert], around window: TimeSlot) async throws
        -> (availability: [ExpertID: ExpertAvailability], holds: [ExpertID: [StoredHold]])
    {
        let margin = TimeInterval(SchedulingRules.maximumBufferMinutes * 60)
        let wide = TimeSlot(start: window.start - margin, end: window.end + margin)
        let ids = experts.map(\.id)
        // Three independent reads, at once: a booking waits for one round trip, not three.
        async let bookedRead = self.experts.bookedIntervals(of: ids, in: wide)
        async let countsRead = self.experts.callCounts(of: ids, in: wide)
        async let holdsRead = self.holds.activeHolds(of: ids, in: wide)
        let (booked, counts, holds) = try await (bookedRead, countsRead, holdsRead)
        var availability: [ExpertID: ExpertAvailability] = [:]
        for expert in experts {
            availability[expert.id] = ExpertAvailability(
                expert: expert, booked: booked[expert.id] ?? [], calls: counts[expert.id] ?? CallCounts(),
                holds: (holds[expert.id] ?? []).map(HeldSlot.init))
        }
        return (availability, holds)
    }

    /// Candidates for matching a slot: fit, free, and how loaded (ledger minutes this period).
    func candidates(specialty: String, around slot: TimeSlot) async throws -> [MatchCandidate] {
        // Every fitting expert, page by page: fairness is over all of them, not the first page.
        var experts: [Expert] = []
        while true {
            let after = experts.last.map { (name: $0.name, id: $0.id) }
            let page = try await self.experts(specialty: specialty, after: after, limit: PageSize.maximum)
            experts += page
            if page.count < PageSize.maximum { break }
        }
        let availability = try await self.availability(of: experts, around: slot)
        let loads = try await self.calls.loads(of: experts.map(\.id), around: slot)
        return experts.map { expert in
            let inputs = availability[expert.id]
            return MatchCandidate(
                expert: expert, booked: inputs?.booked ?? [], calls: inputs?.calls ?? CallCounts(),
                holds: inputs?.holds ?? [], ledgerMinutes: loads[expert.id]?.bookedMinutes ?? 0,
                lastAssignedAt: loads[expert.id]?.lastAssignedAt)
        }
    }
}
