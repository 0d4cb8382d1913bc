import BookingAPI
import BookingDomain
import BookingStore
import Foundation
import ProtoWire
import RPC

/// CallService on PostgreSQL: booking (with matching), reading, listing, completing and
/// cancelling, each for the callers `AccessPolicy` allows. Video tokens and recordings are
/// `VideoService`'s.
struct CallService: Sendable {
    let calls: CallRepository
    let experts: ExpertRepository
    let directory: ExpertDirectory
    let holds: HoldRepository
    /// A customer reading or listing calls first claims their unclaimed bookings.
    let claims: BookingClaims
    let authenticator: any CallerAuthenticator
    let now: @Sendable () -> Date
    /// `STREAM_CALL_TYPE`: names each call's video room in its `video` field.
    let videoCallType: String
    /// `RATE_LIMIT_PER_MINUTE` for customers' bookings; nil: unlimited.
    var rateLimit: CallerRateLimit? = nil
    /// `PREPARATION_FILE`'s defaults: each booking stores the text it resolves to.
    var preparation = PreparationGuide.builtIn

    /// Booking races other bookings (on any replica) for the same expert: re-match up to this
    /// many times. Each lost race means another booking went through and its expert is no
    /// longer offered, so a burst of bookings for one slot drains the free experts one by one;
    /// three attempts failed a burst of eight with eight experts free.
    static let bookingAttempts = 16

    func register(in router: inout RPCRouter) {
        let service = self
        let auth = self.authenticator
        router.register(CallServiceMethods.createCall) { request, context in
            try await service.create(request, by: auth.authenticate(context))
        }
        router.register(CallServiceMethods.getCall) { request, context in
            try await service.get(request, by: auth.authenticate(context))
        }
        router.register(CallServiceMethods.listUpcomingCalls) { request, context in
            try await service.listUpcoming(request, by: auth.authenticate(context))
        }
        router.register(CallServiceMethods.listCalls) { request, context in
            try await service.list(request, by: auth.authenticate(context))
        }
        router.register(CallServiceMethods.completeCall) { request, context in
            try await service.complete(request, by: auth.authenticate(context))
        }
        router.register(CallServiceMethods.cancelCall) { request, context in
            try await service.cancel(request, by: auth.authenticate(context))
        }
        router.register(CallServiceMethods.reassignCall) { request, context in
            try await service.reassign(request, by: auth.authenticate(context))
        }
    }

    func create(_ request: CreateCallRequest, by caller: Principal) async throws -> BookingAPI.Call {
        var request = request
        var customer = request.customer ?? BookingAPI.Customer()
        customer.userID = try AccessPolicy.customerForNewCall(requested: customer.userID, by: caller)
        customer.email = try AccessPolicy.customerEmailForNewCall(requested: customer.email, by: caller)
        request.customer = customer
        // Booking a held slot converts the hold: its expert is the one booked.
        var holdID: UUID?
        if !request.holdID.isEmpty {
            guard let id = UUID(uuidString: request.holdID), let hold = try await self.holds.find(id) else {
                throw BookingError.notFound("no hold \(request.holdID)")
            }
            try AccessPolicy.mayUse(hold, as: caller)
            if request.expertID.isEmpty { request.expertID = hold.expertID.uuidString }
            holdID = id
        }
        let booking = try CallRequest(
            validating: request.requestID, expertID: request.expertID, specialty: request.specialty,
            customer: BookingDomain.Customer(request.customer), topic: request.topic,
            scheduledStart: request.scheduledStart.map(\.date), scheduledEnd: request.scheduledEnd.map(\.date),
            customerContext: request.customerContext.map { QuestionAnswer(question: $0.question, answer: $0.answer) })
        // A retry of a booking that went through answers that booking, before any rule is
        // checked again (its own slot is taken now: by itself).
        if !booking.requestID.isEmpty,
            let existing = try await self.calls.find(requestID: booking.requestID, customerUserID: booking.customer.userID)
        {
            try AccessPolicy.mayAccess(existing, as: caller, action: "reading this booking")
            return self.message(existing, for: caller)
        }
        // Counted after the replay check: a client retrying a booking that went through gets it.
        try await self.rateLimit?.admit(caller)
        for attempt in 1...Self.bookingAttempts {
            let (expert, assignment, ownHold) = try await self.chooseExpert(for: booking)
            let now = self.now()
            let call = BookingDomain.Call(
                id: CallID(), expertID: expert.id, assignment: assignment, customer: booking.customer,
                topic: booking.topic, customerContext: booking.customerContext, scheduledStart: booking.scheduled.start,
                scheduledEnd: booking.scheduled.end, createdAt: now, updatedAt: now,
                preparationInstructions: self.preparation.instructions(expert: expert, specialty: booking.specialty))
            do {
                let stored = try await self.calls.insert(
                    self.calls.lifecycle.book(call), requestID: booking.requestID.isEmpty ? nil : booking.requestID, specialty: booking.specialty,
                    actor: caller.userID, convertingHold: holdID ?? ownHold)
                return self.message(stored, for: caller)
            } catch let error as StoreError
                where booking.expertID == nil && error.refusal?.isExpertUnavailable == true
            {
                // Another booking took the matched expert (or their last capped slot) first: match again.
                if attempt == Self.bookingAttempts { throw error }
            }
        }
        throw BookingError.failedPrecondition("no expert could be booked")
    }

    /// The named expert if the rules allow the slot, else the fairest match; refusals name the
    /// rule. A slot held by this customer stays bookable for them, and with a named expert their
    /// live hold on exactly this slot is returned so that it converts even without `hold_id`:
    /// the slot was offered to them as free.
    private func chooseExpert(for booking: CallRequest) async throws
        -> (BookingDomain.Expert, BookingDomain.Assignment, ownHold: UUID?)
    {
        let now = self.now()
        if let expertID = booking.expertID {
            guard let expert = try await self.directory.expert(expertID) else {
                throw BookingError.notFound("no expert \(expertID.uuidString)")
            }
            let read = try await self.directory.availabilityAndHolds(of: [expert], around: booking.scheduled)
            if let refusal = read.availability[expertID]?.check(booking.scheduled, now: now, for: booking.customer.userID) {
                throw refusal.error
            }
            let own = read.holds[expertID]?.first {
                $0.customerUserID == booking.customer.userID && $0.slot == booking.scheduled && $0.isLive(at: now)
            }
            return (expert, BookingDomain.Assignment(reason: .requested, note: "the caller named the expert"), own?.id)
        }
        let candidates = try await self.directory.candidates(specialty: booking.specialty, around: booking.scheduled)
        let match = try ExpertMatcher.match(
            candidates, slot: booking.scheduled, specialty: booking.specialty, topic: booking.topic, now: now,
            for: booking.customer.userID)
        guard let chosen = match.chosen, let expert = candidates.first(where: { $0.expert.id == chosen })?.expert else {
            throw match.noMatchError
        }
        return (expert, match.assignment, nil)
    }

    func get(_ request: GetCallRequest, by caller: Principal) async throws -> BookingAPI.Call {
        try await self.claims.claimOnce(for: caller)
        return try await self.read(request.id, by: caller).message
    }

    /// GetCall's read, which WatchCall repeats: the call if `caller` may see it (NOT_FOUND,
    /// PERMISSION_DENIED otherwise), and its message as they see it.
    func read(_ id: String, by caller: Principal, field: String = "id") async throws
        -> (call: BookingDomain.Call, message: BookingAPI.Call)
    {
        let call = try await self.find(id, field: field)
        try AccessPolicy.mayAccess(call, as: caller, action: "reading this call")
        return (call, self.message(call, for: caller))
    }

    func listUpcoming(_ request: ListUpcomingCallsRequest, by caller: Principal) async throws
        -> ListUpcomingCallsResponse
    {
        let requested = request.expertID.isEmpty ? nil : try ExpertID(validating: request.expertID, field: "expert_id")
        let scope = try AccessPolicy.upcomingFilter(expertID: requested, for: caller)
        try await self.claims.claimOnce(for: caller)
        let limit = try PageSize.normalized(Int(request.pageSize))
        let cursor = request.pageToken.isEmpty ? nil : try PageCursor(token: request.pageToken)
        let page = try await self.calls.listUpcoming(
            expertID: scope.expertID, customerUserID: scope.customerUserID, after: cursor, now: self.now(),
            limit: limit + 1)
        var response = ListUpcomingCallsResponse()
        (response.calls, response.nextPageToken) = self.page(page, limit: limit, for: caller)
        return response
    }

    /// Idempotent: completing a completed call answers it as stored, first end time kept.
    func complete(_ request: CompleteCallRequest, by caller: Principal) async throws -> BookingAPI.Call {
        let call = try await self.change(request.id, by: caller) { call, transaction in
            try AccessPolicy.mayComplete(call, as: caller)
            return transaction.lifecycle.complete(call, at: transaction.now)
        }
        return self.message(call, for: caller)
    }

    func cancel(_ request: CancelCallRequest, by caller: Principal) async throws -> BookingAPI.Call {
        let call = try await self.change(request.id, by: caller) { call, transaction in
            try AccessPolicy.mayAccess(call, as: caller, action: "cancelling this call")
            return transaction.lifecycle.cancel(call, reason: request.reason, at: transaction.now)
        }
        return self.message(call, for: caller)
    }

    /// ReassignCall (admin): to the named expert when the rules let them take the slot, else to
    /// the fairest other expert; the reason and every candidate's score are stored.
    func reassign(_ request: ReassignCallRequest, by caller: Principal) async throws -> BookingAPI.Call {
        try AccessPolicy.requireAdmin(caller, "reassigning a call")
        let call = try await self.find(request.id, field: "id")
        let now = self.now()
        let match: ExpertMatch
        if request.expertID.isEmpty {
            let candidates = try await self.directory.candidates(specialty: "", around: call.scheduled)
            match = try ExpertMatcher.reassign(call, candidates: candidates, reason: request.reason, now: now)
        } else {
            let expertID = try ExpertID(validating: request.expertID, field: "expert_id")
            guard let expert = try await self.directory.expert(expertID) else {
                throw BookingError.notFound("no expert \(request.expertID)")
            }
            let availability = try await self.directory.availability(of: [expert], around: call.scheduled)
            let candidate = MatchCandidate(
                expert: expert, booked: availability[expertID]?.booked ?? [],
                calls: availability[expertID]?.calls ?? CallCounts(), holds: availability[expertID]?.holds ?? [],
                ledgerMinutes: 0, lastAssignedAt: nil)
            match = try ExpertMatcher.reassign(call, to: candidate, reason: request.reason, now: now)
        }
        guard let chosen = match.chosen else { throw BookingError.failedPrecondition("no expert can take this call") }
        let assignment = match.assignment
        let moved = try await self.change(request.id, by: caller) { current, transaction in
            transaction.lifecycle.reassign(current, to: chosen, assignment: assignment, at: transaction.now)
        }
        return self.message(moved, for: caller)
    }

    /// A listing's page from up to `limit + 1` calls in order: the first `limit` as `caller`
    /// sees them, and the token after the last of them when another call follows.
    func page(_ calls: [BookingDomain.Call], limit: Int, for caller: Principal) -> ([BookingAPI.Call], String) {
        let shown = calls.prefix(limit)
        let token = calls.count > limit ? shown.last.map { PageCursor(after: $0).token } ?? "" : ""
        return (shown.map { self.message($0, for: caller) }, token)
    }

    /// The call as `caller` may see it (candidates for admins only), with its video room.
    func message(_ call: BookingDomain.Call, for caller: Principal) -> BookingAPI.Call {
        BookingAPI.Call(call, showCandidates: AccessPolicy.seesCandidates(caller), videoCallType: self.videoCallType)
    }

    func find(_ id: String, field: String) async throws -> BookingDomain.Call {
        let callID = try CallID(validating: id, field: field)
        guard let call = try await self.calls.find(callID) else { throw BookingError.notFound("no call \(id)") }
        return call
    }

    /// Asks the lifecycle under the call's row lock and stores its answer; a refusal is the
    /// caller's error.
    private func change(
        _ id: String, by caller: Principal,
        _ decide: @escaping @Sendable (BookingDomain.Call, CallTransaction) throws -> CallDecision
    ) async throws -> BookingDomain.Call {
        let callID = try CallID(validating: id, field: "id")
        guard let outcome = try await self.calls.change(callID, actor: caller.userID, decide) else {
            throw BookingError.notFound("no call \(id)")
        }
        if case .refused(let error) = outcome.decision { throw error }
        return outcome.call
    }
}
