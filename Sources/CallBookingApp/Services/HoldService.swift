import BookingAPI
import BookingDomain
import BookingStore
import Foundation
import ProtoWire
import RPC

/// HoldSlot and ReleaseHold: a customer reserves a slot while filling in the booking form.
/// Held slots are not offered to others and cannot be booked by them (the database's
/// occupancy constraint), and a hold lapses after `HOLD_MINUTES`.
struct HoldService: Sendable {
    let holds: HoldRepository
    let directory: ExpertDirectory
    let authenticator: any CallerAuthenticator
    let holdDuration: Duration
    let now: @Sendable () -> Date
    /// `HOLDS_PER_CUSTOMER`: an admin holding for a customer is bound by it too.
    var holdsPerCustomer = 3
    /// `RATE_LIMIT_PER_MINUTE` for customers' holds, counted with their bookings; nil: unlimited.
    var rateLimit: CallerRateLimit? = nil

    func register(in router: inout RPCRouter) {
        let service = self
        let auth = self.authenticator
        router.register(ExpertServiceMethods.holdSlot) { request, context in
            try await service.hold(request, by: auth.authenticate(context))
        }
        router.register(ExpertServiceMethods.releaseHold) { request, context in
            try await service.release(request, by: auth.authenticate(context))
        }
    }

    func hold(_ request: HoldSlotRequest, by caller: Principal) async throws -> SlotHold {
        let customer = try AccessPolicy.customerForNewHold(requested: request.customerUserID, by: caller)
        try await self.rateLimit?.admit(caller)
        let slot = try BookingDomain.TimeSlot(
            BookingAPI.TimeSlot.with {
                $0.start = request.start
                $0.end = request.end
            }, field: "slot")
        guard slot.duration >= CallLimits.minimumDuration, slot.duration <= CallLimits.maximumDuration else {
            throw BookingError.invalidArgument("a hold lasts from 15 minutes to 4 hours, like a call")
        }
        let expertID: ExpertID
        if request.expertID.isEmpty {
            let candidates = try await self.directory.candidates(specialty: request.specialty, around: slot)
            let match = try ExpertMatcher.match(
                candidates, slot: slot, specialty: request.specialty, now: self.now(), for: customer)
            guard let chosen = match.chosen else { throw match.noMatchError }
            expertID = chosen
        } else {
            expertID = try ExpertID(validating: request.expertID, field: "expert_id")
            guard let expert = try await self.directory.expert(expertID) else {
                throw BookingError.notFound("no expert \(request.expertID)")
            }
            let availability = try await self.directory.availability(of: [expert], around: slot)
            if let refusal = availability[expertID]?.check(slot, now: self.now(), for: customer) { throw refusal.error }
        }
        let hold = try await self.holds.hold(
            expertID: expertID, customerUserID: customer, slot: slot, expiresIn: self.holdDuration,
            maxLiveHolds: self.holdsPerCustomer)
        return SlotHold(hold)
    }

    func release(_ request: ReleaseHoldRequest, by caller: Principal) async throws -> SlotHold {
        guard let id = UUID(uuidString: request.id), let hold = try await self.holds.find(id) else {
            throw BookingError.notFound("no hold \(request.id)")
        }
        try AccessPolicy.mayUse(hold, as: caller)
        guard let released = try await self.holds.release(id, by: caller.userID) else {
            throw BookingError.notFound("no hold \(request.id)")
        }
        return SlotHold(released)
    }
}

extension SlotHold {
    init(_ hold: StoredHold) {
        self.init()
        self.id = hold.id.uuidString.lowercased()
        self.expertID = hold.expertID.uuidString
        self.start = Timestamp(date: hold.slot.start)
        self.end = Timestamp(date: hold.slot.end)
        self.customerUserID = hold.customerUserID
        self.expiresAt = Timestamp(date: hold.expiresAt)
    }
}
