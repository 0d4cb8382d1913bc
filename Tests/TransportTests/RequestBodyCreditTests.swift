import Testing

@testable import Transport

/// Transcripts of manual HTTP/2 flow control: what is credited back to the client, when.
@Suite struct RequestBodyCreditTests {
    typealias Grant = RequestBodyCredit.Grant

    @Test func bytesWithinTheBudgetAreCreditedAtOnce() {
        var credit = RequestBodyCredit(budget: 100)
        #expect(credit.received(40, on: 1) == Grant(streamID: 1, count: 40))
        #expect(credit.received(60, on: 3) == Grant(streamID: 3, count: 60))
        #expect(credit.credited == 100)
    }

    @Test func bytesPastTheBudgetAreOwedUntilARequestIsReleased() {
        var credit = RequestBodyCredit(budget: 100)
        _ = credit.received(80, on: 1)
        #expect(credit.received(30, on: 3) == nil)
        #expect(credit.received(10, on: 3) == nil)  // later bytes queue behind owed ones
        #expect(credit.owedBytes == 40)
        #expect(credit.released(1) == [Grant(streamID: 3, count: 30), Grant(streamID: 3, count: 10)])
        #expect(credit.credited == 40)
        #expect(credit.owedBytes == 0)
    }

    @Test func aReleasedStreamsOwnOwedBytesAreCreditedForTheConnectionsSake() {
        var credit = RequestBodyCredit(budget: 100)
        _ = credit.received(100, on: 1)
        #expect(credit.received(50, on: 3) == nil)
        #expect(credit.released(3) == [Grant(streamID: 3, count: 50)])
        #expect(credit.credited == 100)
    }

    @Test func owedBytesArePaidOldestFirstAsFarAsTheBudgetAllows() {
        var credit = RequestBodyCredit(budget: 100)
        _ = credit.received(60, on: 1)
        _ = credit.received(40, on: 3)
        _ = credit.received(50, on: 5)
        _ = credit.received(50, on: 7)
        #expect(credit.released(1) == [Grant(streamID: 5, count: 50)])
        #expect(credit.owedBytes == 50)
        #expect(credit.released(3) == [Grant(streamID: 7, count: 50)])
    }

    @Test func emptyChunksCreditNothing() {
        var credit = RequestBodyCredit(budget: 100)
        #expect(credit.received(0, on: 1) == nil)
        #expect(credit.released(1) == [])
    }
}
