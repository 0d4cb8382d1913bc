import BookingDomain
import Foundation
import TestSupport
import Testing

@testable import BookingStore

/// The repositories on one test database, and fixtures for the scheduling tests.
struct Store: Sendable {
    let pool: PGPool
    var calls: CallRepository { CallRepository(pool: self.pool) }
    var experts: ExpertRepository { ExpertRepository(pool: self.pool) }

    /// A fresh migrated database; `poolSize` 16 lets 16 bookings really run at once.
    @discardableResult
    static func withFresh<T: Sendable>(poolSize: Int = 4, _ body: (Store) async throws -> T) async throws -> T {
        try await TestDatabase.withFreshDatabase(poolSize: poolSize) { pool, _ in try await body(Store(pool: pool)) }
    }

    @discardableResult
    func expert(
        _ rules: SchedulingRules = SchedulingRules(), timeZone: String = "Europe/Paris", email: String = "ada@example.com"
    ) async throws -> ExpertID {
        let expert = Expert(id: ExpertID(UUID()), name: "Ada", email: email, specialties: ["tax"], timeZone: timeZone)
        return try await self.experts.insert(expert, scheduling: StoredScheduling(rules: rules)).id
    }
}
