import BookingAPI
import BookingDomain
import Foundation
import Logging
import ProtoWire
import RPC
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// The services, webhooks and job handlers on a fresh migrated PostgreSQL database, with the
/// clock stopped at `now`, wired as `Components` wires them.
struct AppFixture: Sendable {
    static let now = Date.utc("2030-01-01T08:00:00Z")
    static let admin = Principal(userID: "user_admin", role: .admin, email: nil, expertID: nil)
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    let pool: PGPool
    let now: Date
    /// One for the fixture, as the app has one: it remembers which sessions claimed.
    let claims: BookingClaims

    init(pool: PGPool, now: Date) {
        self.pool = pool
        self.now = now
        self.claims = BookingClaims(
            calls: CallRepository(pool: pool, lifecycle: CallLifecycle(), now: { now }), now: { now })
    }

    var calls: CallRepository { CallRepository(pool: self.pool, lifecycle: CallLifecycle(), now: { [now] in now }) }
    var experts: ExpertRepository { ExpertRepository(pool: self.pool) }
    var holds: HoldRepository { HoldRepository(pool: self.pool) }
    var directory: ExpertDirectory { ExpertDirectory(experts: self.experts, holds: self.holds, calls: self.calls) }
    var queue: JobQueue { JobQueue(pool: self.pool) }

    var callService: CallService {
        CallService(
            calls: self.calls, experts: self.experts, directory: self.directory, holds: self.holds,
            claims: self.claims, authenticator: NoAuthenticator(), now: { [now] in now }, videoCallType: "consult")
    }

    static func withFresh<T: Sendable>(
        now: Date = Self.now, poolSize: Int = 4, _ body: (AppFixture) async throws -> T
    ) async throws -> T {
        try await TestDatabase.withFreshDatabase(poolSize: poolSize) { pool, _ in
            try await body(AppFixture(pool: pool, now: now))
        }
    }

    /// An expert in `specialty`, bookable every day 06:00–22:00 UTC.
    func expert(_ n: Int = 1, specialty: String = "tax", calendlyUserURI: String = "") async throws -> ExpertID {
        let hours = Weekday.allCases.compactMap { day in
            LocalTime(hour: 6, minute: 0).flatMap { start in LocalTime(hour: 22, minute: 0).map { WeeklyHours(day: day, start: start, end: $0) } }
        }
        let expert = Expert(
            id: ExpertID(), name: "Expert \(n)", email: "expert\(n)@example.com", specialties: [specialty],
            timeZone: "UTC", clerkUserID: "user_expert\(n)", calendlyUserURI: calendlyUserURI, weeklyHours: hours)
        return try await self.experts.insert(expert).id
    }

    /// CreateCall by `customer` for 30 minutes from `start`.
    func book(
        _ expert: ExpertID?, _ start: String, customer: String = "user_c", requestID: String = "", holdID: String = "",
        specialty: String = "tax", email: String? = nil
    ) async throws -> BookingAPI.Call {
        var request = CreateCallRequest()
        request.requestID = requestID
        request.expertID = expert?.uuidString ?? ""
        request.specialty = specialty
        request.holdID = holdID
        request.topic = "Taxes"
        var person = BookingAPI.Customer()
        person.userID = customer
        person.email = email ?? "\(customer)@example.com"
        person.name = "Dana"
        request.customer = person
        let from = Date.utc(start)
        request.scheduledStart = Timestamp(date: from)
        request.scheduledEnd = Timestamp(date: from.addingTimeInterval(1800))
        return try await self.callService.create(
            request, by: Principal(userID: customer, role: .customer, email: "\(customer)@example.com", expertID: nil))
    }

    /// The kinds of the jobs enqueued so far, with how many of each.
    func jobCounts() async throws -> [String: Int] {
        try await self.pool.withConnection { connection in
            var counts: [String: Int] = [:]
            for row in try connection.execute("SELECT kind, count(*) AS n FROM calls.jobs GROUP BY kind").rows {
                counts[try row.string("kind") ?? ""] = try row.int("n") ?? 0
            }
            return counts
        }
    }
}

/// Services are called with a `Principal` directly; nothing here authenticates.
struct NoAuthenticator: CallerAuthenticator {
    func authenticate(_ context: RPCContext) async throws -> Principal {
        throw RPCError(.unauthenticated, "tests call the services with a principal")
    }
}
