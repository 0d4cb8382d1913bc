import OutboundHTTP
import BookingDomain
import BookingStore
import Calendly
import Foundation
import Logging

/// CONTRACT "Calendly sync": replaces the weekly hours (and date overrides, and zone) of experts
/// that have a `calendly_user_uri` with their default Calendly schedule, and turns their busy
/// times into time off marked `calendly`, skipping the events of our own calls.
///
/// Per expert: fetch the schedules and the busy times of the window, convert and validate them
/// (`CalendlyAvailabilityConversion`, `AvailabilityUpdate`), then write everything in one
/// transaction (`ExpertRepository.replaceCalendlyAvailability`). Any failure before the write
/// leaves the expert as they were; one expert's failure never stops the others.
///
/// Experts are synced one after another: Calendly's rate limit is per token owner (500 requests a
/// minute on paid plans), and each expert costs one schedule request plus one per 7 days of the
/// window. Within a round, an expert whose requests hit the limit is synced again once it resets
/// (`CalendlyRateLimitWait`); the on-demand sync of one expert does not wait but answers 503
/// with the reset as `Retry-After`.
struct CalendlyAvailabilitySync: Sendable {
    let client: CalendlyClient
    let experts: ExpertRepository
    let calls: CallRepository
    let now: @Sendable () -> Date
    let logger: Logger
    /// How a round waits for Calendly's rate limit to reset; tests pass one that does not sleep.
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

    /// Days of busy times fetched when the expert has no booking horizon.
    static let defaultWindowDays = 60
    /// The longest window fetched, whatever the horizon: 53 requests.
    static let maximumWindowDays = 366

    /// The busy-time window for an expert: from the next whole minute (Calendly refuses a start
    /// in the past) for the booking horizon, or `defaultWindowDays` without one.
    static func window(now: Date, horizonDays: Int) -> TimeSlot {
        let start = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.up) * 60)
        let days = horizonDays > 0 ? min(horizonDays, Self.maximumWindowDays) : Self.defaultWindowDays
        return TimeSlot(start: start, end: start.addingTimeInterval(TimeInterval(days * 86_400)))
    }

    /// Every linked expert. Throws only when the experts cannot be listed; stops early, with
    /// what it has, when the task is cancelled (shutdown).
    func syncAll() async throws -> CalendlySyncReport {
        var report = CalendlySyncReport()
        let rateLimit = CalendlyRateLimitWait(sleep: self.sleep, logger: self.logger)
        for (expert, scheduling) in try await self.experts.calendlyLinked() {
            if Task.isCancelled { break }
            switch await self.outcome(expert, scheduling: scheduling, rateLimit: rateLimit) {
            case .success(let synced): report.synced.append(synced)
            case .failure(let failure):
                report.failed.append(CalendlySyncReport.Failed(expertID: expert.id, message: failure.message))
            }
        }
        self.logger.info(
            "Calendly availability sync finished",
            metadata: ["synced": "\(report.synced.count)", "failed": "\(report.failed.count)"])
        return report
    }

    /// One expert, by id: nil when there is no such expert.
    func sync(_ id: ExpertID) async throws -> Result<CalendlySyncReport.Synced, CalendlySyncFailure>? {
        guard let (expert, scheduling) = try await self.experts.findWithScheduling(id) else { return nil }
        return await self.outcome(expert, scheduling: scheduling, rateLimit: nil)
    }

    /// Syncs one expert, waiting out Calendly's rate limit when `rateLimit` is given, and logs
    /// the outcome (failures without secrets: the message never holds the API key).
    private func outcome(_ expert: Expert, scheduling: StoredScheduling, rateLimit: CalendlyRateLimitWait?) async
        -> Result<CalendlySyncReport.Synced, CalendlySyncFailure>
    {
        let horizonDays = scheduling.rules.bookingHorizonDays
        do {
            let synced =
                if let rateLimit {
                    try await rateLimit.run(expert: expert.id) { () async throws(CalendlySyncFailure) in
                        try await self.sync(expert, horizonDays: horizonDays)
                    }
                } else {
                    try await self.sync(expert, horizonDays: horizonDays)
                }
            self.logger.debug(
                "synced an expert's Calendly availability",
                metadata: [
                    "expert_id": "\(expert.id)", "weekly_hours": "\(synced.weeklyHours)", "time_off": "\(synced.timeOff)",
                    "skipped_own_calls": "\(synced.skippedOwnCalls)",
                ])
            return .success(synced)
        } catch {
            self.logger.warning(
                "Calendly availability sync failed for an expert; their availability is unchanged",
                metadata: ["expert_id": "\(expert.id)", "reason": "\(error.message)"])
            return .failure(error)
        }
    }

    private func sync(_ expert: Expert, horizonDays: Int) async throws(CalendlySyncFailure) -> CalendlySyncReport.Synced {
        let userURI = expert.calendlyUserURI
        guard !userURI.isEmpty else { throw CalendlySyncFailure(.notLinked, "the expert has no calendly_user_uri") }
        let now = self.now()
        let window = Self.window(now: now, horizonDays: horizonDays)
        let schedule: AvailabilitySchedule
        let busy: [BusyTime]
        do {
            schedule = try CalendlyAvailabilityConversion.defaultSchedule(
                try await self.client.userAvailabilitySchedules(userURI: userURI))
            busy = try await self.client.userBusyTimes(userURI: userURI, start: window.start, end: window.end)
        } catch let error as CalendlySyncFailure {
            throw error
        } catch let error as ProviderError {
            throw CalendlySyncFailure(error)
        } catch {
            throw CalendlySyncFailure(.calendlyRefused, "\(error)")
        }
        let hours = try CalendlyAvailabilityConversion.hours(from: schedule, now: now)
        if !hours.ignored.isEmpty {
            self.logger.notice(
                "left out parts of a Calendly schedule",
                metadata: ["expert_id": "\(expert.id)", "ignored": "\(hours.ignored.joined(separator: "; "))"])
        }
        let ownEvents = try await self.database {
            try await self.calls.calendlyEventURIs(among: busy.compactMap(\.eventURI))
        }
        let timeOff = CalendlyAvailabilityConversion.timeOff(from: busy, ownEvents: ownEvents)
        let update: AvailabilityUpdate
        do {
            update = try AvailabilityUpdate(
                validating: hours.weeklyHours, timeOff: timeOff.slots, dateOverrides: hours.dateOverrides,
                timeZone: hours.timeZone)
        } catch {
            throw CalendlySyncFailure(.unusableSchedule, "\(error)")
        }
        let stored = try await self.database {
            try await self.experts.replaceCalendlyAvailability(
                expert.id, linkedTo: userURI,
                with: SyncedAvailability(
                    timeZone: hours.timeZone, weeklyHours: update.weeklyHours,
                    dateOverrides: update.dateOverrides.flatMap(StoredScheduling.rows), timeOff: update.timeOff))
        }
        guard stored != nil else {
            throw CalendlySyncFailure(.notLinked, "the expert was removed or relinked while syncing")
        }
        return CalendlySyncReport.Synced(
            expertID: expert.id, timeZone: hours.timeZone, weeklyHours: update.weeklyHours.count,
            dateOverrides: update.dateOverrides.count, timeOff: update.timeOff.count,
            skippedOwnCalls: timeOff.skippedOwnCalls)
    }

    /// Runs a store call; its failure is logged with its cause and reported without it.
    private func database<T: Sendable>(_ body: () async throws -> T) async throws(CalendlySyncFailure) -> T {
        do {
            return try await body()
        } catch {
            self.logger.error("Calendly sync could not use the database", metadata: ["error": "\(error)"])
            throw CalendlySyncFailure(.database, "the database failed")
        }
    }
}
