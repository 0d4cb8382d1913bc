import NIOCore
import Testing

@testable import Transport

/// Transcripts of one connection's life: events with the time in, actions out, no sockets.
@Suite struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine

    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    private func at(_ seconds: Int64) -> NIODeadline { self.start + .seconds(seconds) }

    private func machine(maxRequests: Int = 100) -> Machine {
        Machine(
            configuration: .init(testLimits(header: .seconds(10), idle: .seconds(120), body: .seconds(30), maxRequests: maxRequests)),
            acceptedAt: self.start)
    }

    // MARK: preface and heads

    @Test func aConnectionWithoutItsPrefaceIsClosedAtTheHeaderTimeout() {
        var machine = self.machine()
        #expect(machine.nextDeadline == self.at(10))
        #expect(machine.timerFired(now: self.at(9)) == [])
        #expect(machine.timerFired(now: self.at(10)) == [.closeSlowHeaders])
    }

    @Test func thePrefaceStartsTheIdleClock() {
        var machine = self.machine()
        #expect(machine.prefaceReceived(now: self.at(2)) == self.at(122))
        #expect(machine.state == .serving)
        #expect(machine.timerFired(now: self.at(10)) == [])
        #expect(machine.timerFired(now: self.at(122)) == [.closeIdle])
    }

    @Test func aHeaderBlockMustEndWithinTheHeaderTimeout() {
        var machine = self.machine()
        _ = machine.prefaceReceived(now: self.at(0))
        #expect(machine.headerBlockStarted(now: self.at(5)) == self.at(15))
        #expect(machine.headerBlockStarted(now: self.at(6)) == nil)  // the first one counts
        #expect(machine.timerFired(now: self.at(15)) == [.closeSlowHeaders])
    }

    @Test func aCompleteHeadClearsTheHeaderDeadlineAndStopsTheIdleClock() {
        var machine = self.machine()
        _ = machine.prefaceReceived(now: self.at(0))
        _ = machine.headerBlockStarted(now: self.at(5))
        #expect(machine.requestOpened(1, now: self.at(6)) == .accept(armBy: self.at(36)))
        machine.requestEnded(1)
        #expect(machine.nextDeadline == nil)
        #expect(machine.timerFired(now: self.at(500)) == [])
    }

    // MARK: HTTP/1.1 heads between requests

    @Test func bytesBetweenRequestsStartAHeadTimedFromTheFirstByte() {
        var machine = self.machine()
        #expect(machine.requestOpened(1, now: self.at(1)) == .accept(armBy: self.at(31)))
        machine.requestEnded(1)
        machine.responseEnded(1)
        #expect(machine.streamClosed(1, now: self.at(2)) == .init(released: true, armBy: self.at(122)))
        #expect(machine.bytesArrived(now: self.at(60)) == self.at(70))
        #expect(machine.timerFired(now: self.at(70)) == [.closeSlowHeaders])
    }

    @Test func aPipelinedHeadIsTimedFromTheReleaseOfTheRequestBeforeIt() {
        var machine = self.machine()
        _ = machine.requestOpened(1, now: self.at(0))
        #expect(machine.bytesArrived(now: self.at(0)) == nil)  // the first request's body
        machine.requestEnded(1)
        machine.workStarted(1)
        #expect(machine.bytesArrived(now: self.at(1)) == nil)  // the next head, held back
        machine.responseEnded(1)
        #expect(machine.streamClosed(1, now: self.at(40)) == .init())
        #expect(machine.workFinished(1, now: self.at(50)) == .init(released: true, armBy: self.at(60)))
        #expect(machine.timerFired(now: self.at(60)) == [.closeSlowHeaders])
    }

    @Test func bytesBeforeTheFirstHeadAreTimedFromTheAccept() {
        var machine = self.machine()
        #expect(machine.bytesArrived(now: self.at(5)) == nil)
        #expect(machine.timerFired(now: self.at(10)) == [.closeSlowHeaders])
    }

    // MARK: bodies

    @Test func aBodyThatDoesNotEndWithinTheBodyTimeoutExpiresItsRequest() {
        var machine = self.machine()
        _ = machine.prefaceReceived(now: self.at(0))
        _ = machine.requestOpened(1, now: self.at(1))
        _ = machine.requestOpened(3, now: self.at(2))
        _ = machine.requestOpened(5, now: self.at(3))
        machine.requestEnded(3)
        #expect(machine.nextDeadline == self.at(31))
        #expect(machine.timerFired(now: self.at(33)) == [.expireRequest(1), .expireRequest(5)])
        #expect(machine.timerFired(now: self.at(40)) == [])
    }

    // MARK: requests in progress

    @Test func aStreamResetBeforeItsResponseCancelsItsHandlerWhateverTheCode() {
        var machine = self.machine()
        _ = machine.prefaceReceived(now: self.at(0))
        _ = machine.requestOpened(1, now: self.at(1))
        machine.requestEnded(1)
        machine.workStarted(1)
        #expect(machine.streamClosed(1, now: self.at(2)) == .init(cancelHandler: true))
        #expect(machine.requestCount == 1)
        #expect(machine.workFinished(1, now: self.at(3)) == .init(released: true, armBy: self.at(123)))
        #expect(machine.requestCount == 0)
    }

    @Test func aStreamClosingAfterItsResponseEndedIsANormalClose() {
        var machine = self.machine()
        _ = machine.prefaceReceived(now: self.at(0))
        _ = machine.requestOpened(1, now: self.at(1))
        machine.requestEnded(1)
        machine.workStarted(1)
        machine.responseEnded(1)
        #expect(machine.workFinished(1, now: self.at(2)) == .init())
        #expect(machine.streamClosed(1, now: self.at(3)) == .init(released: true, armBy: self.at(123)))
    }

    @Test func resetStreamsWhoseHandlersStillRunCountAgainstTheLimit() {
        var machine = self.machine(maxRequests: 2)
        _ = machine.prefaceReceived(now: self.at(0))
        for id: Int32 in [1, 3] {
            _ = machine.requestOpened(id, now: self.at(1))
            machine.requestEnded(id)
            machine.workStarted(id)
            #expect(machine.streamClosed(id, now: self.at(1)).cancelHandler)
        }
        #expect(machine.requestOpened(5, now: self.at(2)) == .refuse)
        _ = machine.workFinished(1, now: self.at(3))
        #expect(machine.requestOpened(7, now: self.at(3)) == .accept(armBy: self.at(33)))
    }

    @Test func aHandlerThatNeverStartedIsReleasedWithItsStream() {
        var machine = self.machine()
        _ = machine.prefaceReceived(now: self.at(0))
        _ = machine.requestOpened(1, now: self.at(1))
        machine.responseEnded(1)  // answered at once (404, UNAUTHENTICATED)
        #expect(machine.streamClosed(1, now: self.at(1)) == .init(released: true, armBy: self.at(121)))
    }

    // MARK: responses the client does not take

    @Test func responseDataThatDoesNotMoveForTheBodyTimeoutClosesTheConnection() {
        var machine = self.machine()
        _ = machine.prefaceReceived(now: self.at(0))
        #expect(machine.responseWaiting(progressed: false, now: self.at(10)) == self.at(40))
        #expect(machine.responseWaiting(progressed: false, now: self.at(20)) == nil)  // still the first wait
        #expect(machine.timerFired(now: self.at(40)).contains(.closeStalledResponses))
    }

    @Test func progressStartsTheClockAgainAndDrainingStopsIt() {
        var machine = self.machine()
        _ = machine.prefaceReceived(now: self.at(0))
        _ = machine.responseWaiting(progressed: false, now: self.at(10))
        #expect(machine.responseWaiting(progressed: true, now: self.at(35)) == self.at(65))
        #expect(!machine.timerFired(now: self.at(40)).contains(.closeStalledResponses))
        machine.responsesDrained()
        #expect(!machine.timerFired(now: self.at(70)).contains(.closeStalledResponses))
    }

    // MARK: the connection

    @Test func closingTheConnectionCancelsUnansweredRequestsAndKeepsCountingRunningHandlers() {
        var machine = self.machine()
        _ = machine.prefaceReceived(now: self.at(0))
        for id: Int32 in [1, 3, 5] { _ = machine.requestOpened(id, now: self.at(1)) }
        machine.workStarted(1)
        machine.workStarted(3)
        machine.responseEnded(3)
        #expect(machine.connectionClosed() == [1, 5])
        #expect(machine.requestCount == 2)
        #expect(machine.nextDeadline == nil)
        _ = machine.workFinished(1, now: self.at(2))
        _ = machine.workFinished(3, now: self.at(2))
        #expect(machine.requestCount == 0)
        #expect(machine.requestOpened(7, now: self.at(3)) == .refuse)
    }

    @Test func quiescingServesWhatStillArrivesAndClosesOnceTheLastRequestIsReleased() {
        var machine = self.machine()
        _ = machine.prefaceReceived(now: self.at(0))
        _ = machine.requestOpened(1, now: self.at(1))
        #expect(machine.quiesce() == nil)
        #expect(machine.requestOpened(3, now: self.at(2)) == .accept(armBy: self.at(32)))
        machine.responseEnded(1)
        #expect(machine.streamClosed(1, now: self.at(3)) == .init(released: true))
        machine.responseEnded(3)
        #expect(machine.streamClosed(3, now: self.at(4)) == .init(released: true, action: .closeDrained))
    }

    @Test func quiescingAnIdleConnectionClosesAtOnce() {
        var machine = self.machine()
        _ = machine.prefaceReceived(now: self.at(0))
        #expect(machine.quiesce() == .closeDrained)
        #expect(machine.timerFired(now: self.at(500)) == [])
    }
}
