import BookingAPI
import Testing

@testable import CallBookingApp

@Suite struct HealthStatusBoardTests {
    @Test func watchersGetTheCurrentStatusThenChangesAndEndAtShutdown() async {
        let board = HealthStatusBoard(services: ["", "a.B"])
        var updates = board.updates(for: "a.B").makeAsyncIterator()
        #expect(await updates.next() == .serving)
        board.set(.notServing, for: ["a.B"])
        #expect(await updates.next() == .notServing)
        board.set(.notServing, for: ["a.B"])  // not a change: not sent
        board.set(.serving, for: ["a.B"])
        #expect(await updates.next() == .serving)
        board.shutDown()
        #expect(await updates.next() == .notServing)
        #expect(await updates.next() == nil)
    }

    @Test func anUnknownServiceIsServiceUnknownForWatchAndNilForCheck() async {
        let board = HealthStatusBoard(services: [""])
        var updates = board.updates(for: "x.Y").makeAsyncIterator()
        #expect(await updates.next() == .serviceUnknown)
        #expect(board.status(of: "x.Y") == nil)
    }
}
