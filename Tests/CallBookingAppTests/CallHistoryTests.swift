import BookingAPI
import BookingDomain
import Foundation
import ProtoWire
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// ListCalls on a real PostgreSQL: newest first across pages, the filters, each role's view,
/// and the admins' list of calls left with a deactivated expert.
@Suite struct CallHistoryTests {
    static func customer(_ id: String) -> Principal {
        Principal(userID: id, role: .customer, email: "\(id)@example.com", expertID: nil)
    }

    static func expert(_ id: ExpertID, _ n: Int = 1) -> Principal {
        Principal(userID: "user_expert\(n)", role: .expert, email: nil, expertID: id)
    }

    static func request(_ configure: (inout ListCallsRequest) -> Void = { _ in }) -> ListCallsRequest {
        var request = ListCallsRequest()
        configure(&request)
        return request
    }

    /// The status name of the error `body` throws ("PERMISSION_DENIED"…); nil when it answers.
    static func refusal(_ body: () async throws -> ListCallsResponse) async -> String? {
        do {
            _ = try await body()
            return nil
        } catch let error as BookingError {
            return String(describing: error).split(separator: ":").first.map(String.init)
        } catch {
            return "\(error)"
        }
    }

    @Test func callsComeNewestFirstPageByPage() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let early = try await app.book(expert, "2030-01-07T09:00:00Z")
            let middle = try await app.book(expert, "2030-01-08T09:00:00Z")
            let late = try await app.book(expert, "2030-01-09T09:00:00Z")
            let first = try await app.callService.list(Self.request { $0.pageSize = 2 }, by: AppFixture.admin)
            #expect(first.calls.map(\.id) == [late.id, middle.id])
            #expect(!first.nextPageToken.isEmpty)
            let second = try await app.callService.list(
                Self.request {
                    $0.pageSize = 2
                    $0.pageToken = first.nextPageToken
                }, by: AppFixture.admin)
            #expect(second.calls.map(\.id) == [early.id])
            #expect(second.nextPageToken.isEmpty)
        }
    }

    @Test func statesAndScheduledStartFilterTheList() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let early = try await app.book(expert, "2030-01-07T09:00:00Z")
            let middle = try await app.book(expert, "2030-01-08T09:00:00Z")
            let late = try await app.book(expert, "2030-01-09T09:00:00Z")
            var cancel = CancelCallRequest()
            cancel.id = middle.id
            _ = try await app.callService.cancel(cancel, by: AppFixture.admin)

            let cancelled = try await app.callService.list(Self.request { $0.states = [.cancelled] }, by: AppFixture.admin)
            #expect(cancelled.calls.map(\.id) == [middle.id])
            let open = try await app.callService.list(
                Self.request { $0.states = [.scheduled, .completed] }, by: AppFixture.admin)
            #expect(open.calls.map(\.id) == [late.id, early.id])
            // `from` is inclusive, `to` exclusive.
            let window = try await app.callService.list(
                Self.request {
                    $0.from = Timestamp(date: .utc("2030-01-08T09:00:00Z"))
                    $0.to = Timestamp(date: .utc("2030-01-09T09:00:00Z"))
                }, by: AppFixture.admin)
            #expect(window.calls.map(\.id) == [middle.id])
            #expect(await Self.refusal {
                try await app.callService.list(Self.request { $0.states = [.unspecified] }, by: AppFixture.admin)
            } == "INVALID_ARGUMENT")
            #expect(await Self.refusal {
                try await app.callService.list(
                    Self.request {
                        $0.from = Timestamp(date: .utc("2030-01-09T09:00:00Z"))
                        $0.to = Timestamp(date: .utc("2030-01-08T09:00:00Z"))
                    }, by: AppFixture.admin)
            } == "INVALID_ARGUMENT")
        }
    }

    @Test func customersAndExpertsListOnlyTheirOwnCalls() async throws {
        try await AppFixture.withFresh { app in
            let one = try await app.expert(1)
            let two = try await app.expert(2)
            let mine = try await app.book(one, "2030-01-07T09:00:00Z", customer: "user_a")
            let theirs = try await app.book(two, "2030-01-08T09:00:00Z", customer: "user_b")

            let customerA = try await app.callService.list(Self.request(), by: Self.customer("user_a"))
            #expect(customerA.calls.map(\.id) == [mine.id])
            #expect(await Self.refusal {
                try await app.callService.list(Self.request { $0.customerUserID = "user_b" }, by: Self.customer("user_a"))
            } == "PERMISSION_DENIED")
            let expertTwo = try await app.callService.list(Self.request(), by: Self.expert(two, 2))
            #expect(expertTwo.calls.map(\.id) == [theirs.id])
            #expect(await Self.refusal {
                try await app.callService.list(Self.request { $0.expertID = one.uuidString }, by: Self.expert(two, 2))
            } == "PERMISSION_DENIED")
            let admin = try await app.callService.list(
                Self.request { $0.customerUserID = "user_b" }, by: AppFixture.admin)
            #expect(admin.calls.map(\.id) == [theirs.id])
            // Assignment scores stay with admins.
            #expect(customerA.calls.allSatisfy { $0.assignment?.candidates.isEmpty ?? true })
        }
    }

    @Test func adminsFindUpcomingCallsOfDeactivatedExperts() async throws {
        try await AppFixture.withFresh { app in
            let leaving = try await app.expert(1)
            let staying = try await app.expert(2)
            let stranded = try await app.book(leaving, "2030-01-07T09:00:00Z", customer: "user_a")
            _ = try await app.book(staying, "2030-01-07T09:00:00Z", customer: "user_b")
            let cancelled = try await app.book(leaving, "2030-01-08T09:00:00Z", customer: "user_a")
            var cancel = CancelCallRequest()
            cancel.id = cancelled.id
            _ = try await app.callService.cancel(cancel, by: AppFixture.admin)

            let before = try await app.callService.list(Self.request { $0.needsReassignment = true }, by: AppFixture.admin)
            #expect(before.calls.isEmpty)
            try await app.pool.withConnection { connection in
                _ = try connection.execute(
                    "UPDATE calls.experts SET active = false WHERE id = $1::uuid", [leaving.uuidString])
            }
            let after = try await app.callService.list(Self.request { $0.needsReassignment = true }, by: AppFixture.admin)
            #expect(after.calls.map(\.id) == [stranded.id])
            #expect(await Self.refusal {
                try await app.callService.list(Self.request { $0.needsReassignment = true }, by: Self.customer("user_a"))
            } == "PERMISSION_DENIED")
        }
    }
}
