import BookingAPI
import BookingDomain
import BookingStore
import Foundation
import ProtoWire
import RPC

/// ExpertService on PostgreSQL, for the callers `AccessPolicy` allows: everyone reads
/// experts (private fields for admins and the expert), admins create them, an expert or an
/// admin edits availability.
struct ExpertService: Sendable {
    let experts: ExpertRepository
    let directory: ExpertDirectory
    let authenticator: any CallerAuthenticator
    let now: @Sendable () -> Date

    func register(in router: inout RPCRouter) {
        let service = self
        let auth = self.authenticator
        router.register(ExpertServiceMethods.createExpert) { request, context in
            try await service.create(request, by: auth.authenticate(context))
        }
        router.register(ExpertServiceMethods.getExpert) { request, context in
            try await service.get(request, by: auth.authenticate(context))
        }
        router.register(ExpertServiceMethods.listExperts) { request, context in
            try await service.list(request, by: auth.authenticate(context))
        }
        router.register(ExpertServiceMethods.setExpertAvailability) { request, context in
            try await service.setAvailability(request, by: auth.authenticate(context))
        }
        router.register(ExpertServiceMethods.updateExpert) { request, context in
            try await service.update(request, by: auth.authenticate(context))
        }
        router.register(ExpertServiceMethods.getExpertLoad) { request, context in
            try await service.load(request, by: auth.authenticate(context))
        }
    }

    /// `calendar_busy` in the request is output only, and ignored: only the Calendly sync writes it.
    func create(_ request: CreateExpertRequest, by caller: Principal) async throws -> BookingAPI.Expert {
        try AccessPolicy.requireAdmin(caller, "creating an expert")
        let message = request.expert ?? BookingAPI.Expert()
        let expert = try BookingDomain.Expert(
            id: ExpertID(UUID()), name: message.name, email: message.email, specialties: message.specialties,
            timeZone: message.timezone, clerkUserID: message.clerkUserID, calendlyUserURI: message.calendlyUserURI,
            active: message.active ?? true, weeklyHours: Self.weeklyHours(message.weeklyHours),
            timeOff: Self.timeOff(message.timeOff),
            scheduling: Self.rules(message.scheduling) ?? BookingDomain.SchedulingRules(),
            dateOverrides: Self.dateOverrides(message.dateOverrides), topics: message.topics,
            preparationInstructions: message.preparationInstructions
        ).validated()
        let stored = try await self.experts.insert(
            expert, scheduling: StoredScheduling(expert.scheduling, expert.dateOverrides))
        return BookingAPI.Expert(stored.with(StoredScheduling(expert.scheduling, expert.dateOverrides)), showPrivate: true)
    }

    func get(_ request: GetExpertRequest, by caller: Principal) async throws -> BookingAPI.Expert {
        let id = try ExpertID(validating: request.id, field: "id")
        guard let expert = try await self.directory.expert(id) else {
            throw BookingError.notFound("no expert \(request.id)")
        }
        return BookingAPI.Expert(expert, showPrivate: AccessPolicy.seesPrivateFields(of: id, as: caller))
    }

    /// Changes the fields `update_mask` names, as the caller may (`AccessPolicy.mayUpdate`).
    /// A deactivated expert keeps their calls; matching and holds skip them from now on.
    func update(_ request: UpdateExpertRequest, by caller: Principal) async throws -> BookingAPI.Expert {
        let message = request.expert ?? BookingAPI.Expert()
        let id = try ExpertID(validating: message.id, field: "expert.id")
        let update = try ExpertUpdate(paths: request.updateMask?.paths ?? [])
        try AccessPolicy.mayUpdate(id, update, as: caller)
        // `active` has presence: a mask naming it with no value would guess a direction.
        if update.fields.contains(.active), message.active == nil {
            throw BookingError.invalidArgument("expert.active must be set when update_mask names it")
        }
        let changes = BookingDomain.Expert(
            id: id, name: message.name, specialties: message.specialties, timeZone: message.timezone,
            calendlyUserURI: message.calendlyUserURI, active: message.active ?? true,
            scheduling: BookingDomain.SchedulingRules(
                weight: Int(message.scheduling?.weight ?? 0), priority: Int(message.scheduling?.priority ?? 0)),
            topics: message.topics, preparationInstructions: message.preparationInstructions)
        guard try await self.experts.update(id, { current in try update.apply(changes, to: current) }) != nil,
            let stored = try await self.directory.expert(id)
        else { throw BookingError.notFound("no expert \(message.id)") }
        return BookingAPI.Expert(stored, showPrivate: true)
    }

    /// GetExpertLoad: admins, and the expert for themselves (`AccessPolicy.seesPrivateFields`).
    func load(_ request: GetExpertLoadRequest, by caller: Principal) async throws -> BookingAPI.ExpertLoad {
        let id = try ExpertID(validating: request.expertID, field: "expert_id")
        guard AccessPolicy.seesPrivateFields(of: id, as: caller) else {
            throw BookingError.permissionDenied("reading this expert's load is not allowed for this caller")
        }
        let now = self.now()
        let window = try LoadWindow(
            from: request.from.map { try Timestamp.required($0, field: "from") },
            to: request.to.map { try Timestamp.required($0, field: "to") }, now: now
        ).slot
        guard let expert = try await self.directory.expert(id) else {
            throw BookingError.notFound("no expert \(request.expertID)")
        }
        let stored = try await self.experts.load(of: id, in: window, now: now)
        var load = BookingAPI.ExpertLoad()
        load.expertID = id.uuidString
        load.from = Timestamp(date: window.start)
        load.to = Timestamp(date: window.end)
        load.ledgerWeeks = stored.ledgerWeeks.map { week in
            .with {
                $0.weekStart = week.date
                $0.bookedMinutes = Int32(clamping: week.minutes)
                $0.calls = Int32(clamping: week.calls)
            }
        }
        load.days = stored.days.map(Self.callCount)
        load.weeks = stored.weeks.map(Self.callCount)
        load.maxCallsPerDay = Int32(clamping: expert.scheduling.maxCallsPerDay)
        load.maxCallsPerWeek = Int32(clamping: expert.scheduling.maxCallsPerWeek)
        load.upcomingCalls = Int32(clamping: stored.upcomingCalls)
        return load
    }

    private static func callCount(_ count: StoredExpertLoad.Count) -> BookingAPI.CallCount {
        .with {
            $0.date = count.date
            $0.calls = Int32(clamping: count.calls)
        }
    }

    /// Experts by name, with the bookable slots of `[available_from, available_to)` when asked,
    /// their local times in the request's `timezone` (else each expert's own).
    func list(_ request: ListExpertsRequest, by caller: Principal) async throws -> ListExpertsResponse {
        let slotZone = request.timezone.isEmpty ? nil : try LocalTimestamp.zone(request.timezone, field: "timezone")
        var limit = try PageSize.normalized(Int(request.pageSize))
        let after = try ExpertPageToken.decode(request.pageToken)
        if request.availableFrom != nil {
            // Every offered slot is a full rule check: bound the work one request can ask for.
            limit = min(limit, Self.maximumExpertsWithSlots)
        }
        var query: SlotQuery?
        switch (request.availableFrom, request.availableTo) {
        case (nil, nil): query = nil
        case (let from?, let to?):
            query = try SlotQuery(
                from: Timestamp.required(from, field: "available_from"), to: Timestamp.required(to, field: "available_to"),
                slotMinutes: Int(request.slotMinutes))
        default: throw BookingError.invalidArgument("available_from and available_to go together")
        }
        let page = try await self.directory.experts(specialty: request.specialty, after: after, limit: limit + 1)
        let experts = Array(page.prefix(limit))
        var slots: [ExpertID: [BookingDomain.TimeSlot]] = [:]
        if let query {
            let availability = try await self.directory.availability(of: experts, around: query.window)
            let now = self.now()
            for expert in experts {
                // The caller's own holds stay bookable for them.
                slots[expert.id] = availability[expert.id]?.bookableSlots(query, now: now, for: caller.userID) ?? []
            }
        }
        var response = ListExpertsResponse()
        response.experts = experts.map {
            BookingAPI.Expert(
                $0, showPrivate: AccessPolicy.seesPrivateFields(of: $0.id, as: caller), availableSlots: slots[$0.id] ?? [],
                slotZone: slotZone)
        }
        if page.count > limit, let last = experts.last {
            response.nextPageToken = ExpertPageToken.encode(name: last.name, id: last.id)
        }
        return response
    }

    /// Experts per page when slots are computed (a 31-day window is ~3000 checks each).
    static let maximumExpertsWithSlots = 20

    func setAvailability(_ request: SetExpertAvailabilityRequest, by caller: Principal) async throws
        -> BookingAPI.Expert
    {
        let id = try ExpertID(validating: request.expertID, field: "expert_id")
        try AccessPolicy.mayEditAvailability(of: id, as: caller)
        guard let expert = try await self.experts.find(id) else {
            throw BookingError.notFound("no expert \(request.expertID)")
        }
        // CONTRACT: weekly hours, (manual) time off and date overrides are replaced; the rules
        // only when the request carries them. Calendar busy times are the Calendly sync's.
        let update = try AvailabilityUpdate(
            validating: Self.weeklyHours(request.weeklyHours), timeOff: Self.timeOff(request.timeOff),
            dateOverrides: Self.dateOverrides(request.dateOverrides), scheduling: Self.rules(request.scheduling),
            timeZone: expert.timeZone)
        guard
            try await self.experts.replaceAvailability(
                id, weeklyHours: update.weeklyHours, timeOff: update.timeOff,
                dateOverrides: update.dateOverrides.flatMap(StoredScheduling.rows),
                rules: update.scheduling) != nil,
            let stored = try await self.directory.expert(id)
        else { throw BookingError.notFound("no expert \(request.expertID)") }
        return BookingAPI.Expert(stored, showPrivate: true)
    }

    static func weeklyHours(_ messages: [BookingAPI.WeeklyHours]) throws(BookingError) -> [BookingDomain.WeeklyHours] {
        var hours: [BookingDomain.WeeklyHours] = []
        for (index, message) in messages.enumerated() {
            hours.append(
                try BookingDomain.WeeklyHours(
                    dayNumber: Int(message.day.rawValue), startTime: message.startTime, endTime: message.endTime,
                    index: index))
        }
        return hours
    }

    static func timeOff(_ messages: [BookingAPI.TimeSlot]) throws(BookingError) -> [BookingDomain.TimeSlot] {
        var slots: [BookingDomain.TimeSlot] = []
        for (index, message) in messages.enumerated() {
            slots.append(try BookingDomain.TimeSlot(message, field: "time_off[\(index)]"))
        }
        return slots
    }

    static func rules(_ message: BookingAPI.SchedulingRules?) throws(BookingError) -> BookingDomain.SchedulingRules? {
        guard let message else { return nil }
        return try BookingDomain.SchedulingRules(
            bufferBeforeMinutes: Int(message.bufferBeforeMinutes), bufferAfterMinutes: Int(message.bufferAfterMinutes),
            minimumNoticeMinutes: Int(message.minimumNoticeMinutes), bookingHorizonDays: Int(message.bookingHorizonDays),
            maxCallsPerDay: Int(message.maxCallsPerDay), maxCallsPerWeek: Int(message.maxCallsPerWeek),
            weight: Int(message.weight), priority: Int(message.priority)
        ).validated()
    }

    static func dateOverrides(_ messages: [BookingAPI.DateOverride]) throws(BookingError) -> [BookingDomain.DateOverride] {
        var overrides: [BookingDomain.DateOverride] = []
        for (index, message) in messages.enumerated() {
            overrides.append(
                try BookingDomain.DateOverride(
                    date: message.date, hours: message.hours.map { ($0.startTime, $0.endTime) }, index: index))
        }
        return overrides
    }

}

/// ListExperts' page token: the (name, id) of the last expert of the page, opaque to clients.
enum ExpertPageToken {
    static func encode(name: String, id: ExpertID) -> String {
        Base64.encode(Array("v1\u{0}\(id.uuidString)\u{0}\(name)".utf8), urlSafe: true, padded: false)
    }

    static func decode(_ token: String) throws(BookingError) -> (name: String, id: ExpertID)? {
        guard !token.isEmpty else { return nil }
        guard let bytes = Base64.decode(token) else { throw .invalidArgument("page_token is not one we issued") }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "\u{0}", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let id = try? ExpertID(validating: String(parts[1])) else {
            throw .invalidArgument("page_token is not one we issued")
        }
        return (String(parts[2]), id)
    }
}
