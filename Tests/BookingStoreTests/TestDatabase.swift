import Foundation
import Synchronization
import Testing

@testable import BookingStore

/// Counts calls from `@Sendable` closures running on pool threads.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    @discardableResult
    func increment() -> Int { self.count.wrappingAdd(1, ordering: .relaxed).newValue }
    var value: Int { self.count.load(ordering: .relaxed) }
}

/// Asserts `body` throws a `StoreError` with `code`, and returns it for more checks.
@discardableResult
func expectStoreError<T>(
    _ code: StoreError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T
) async -> StoreError? {
    do {
        let value = try await body()
        Issue.record("expected StoreError \(code), got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let error as StoreError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected StoreError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
