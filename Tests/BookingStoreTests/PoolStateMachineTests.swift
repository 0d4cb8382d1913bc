import Testing

@testable import BookingStore

/// Transcripts of the pool's bookkeeping: connections are strings, waiters are strings, no I/O.
@Suite struct PoolStateMachineTests {
    typealias Machine = PoolStateMachine<String, String>

    @Test func leasesConnectUpToTheLimitThenQueue() {
        var machine = Machine(maxConnections: 2)
        #expect(machine.leaseRequested("a", id: 1) == .connect)
        #expect(machine.leaseRequested("b", id: 2) == .connect)
        #expect(machine.leaseRequested("c", id: 3) == .wait)
        #expect(machine.leasedCount == 2)
        #expect(machine.waiterCount == 1)
    }

    @Test func aReturnedConnectionGoesStraightToTheFirstWaiter() {
        var machine = Machine(maxConnections: 1)
        #expect(machine.leaseRequested("a", id: 1) == .connect)
        #expect(machine.leaseRequested("b", id: 2) == .wait)
        #expect(machine.leaseRequested("c", id: 3) == .wait)
        #expect(machine.connectionReleased("conn1", broken: false) == .handOver("b", "conn1"))
        #expect(machine.connectionReleased("conn1", broken: false) == .handOver("c", "conn1"))
        #expect(machine.connectionReleased("conn1", broken: false) == .none)
        #expect(machine.idleCount == 1)
        #expect(machine.leasedCount == 0)
        #expect(machine.leaseRequested("d", id: 4) == .use("conn1"))
    }

    @Test func expiredWaitersLeaveTheQueueAndTheOthersKeepTheirPlace() {
        var machine = Machine(maxConnections: 1)
        _ = machine.leaseRequested("a", id: 1)
        for (id, waiter) in [(2, "late-b"), (3, "c"), (4, "late-d")] { #expect(machine.leaseRequested(waiter, id: id) == .wait) }
        #expect(machine.waitersExpired { $0.hasPrefix("late") } == ["late-b", "late-d"])
        #expect(machine.waitersExpired { $0.hasPrefix("late") } == [])
        #expect(machine.connectionReleased("conn1", broken: false) == .handOver("c", "conn1"))
        #expect(machine.waiterCount == 0)
    }

    @Test func idleConnectionsAreReusedWarmestFirst() {
        var machine = Machine(maxConnections: 2)
        _ = machine.leaseRequested("a", id: 1)
        _ = machine.leaseRequested("b", id: 2)
        #expect(machine.connectionReleased("old", broken: false) == .none)
        #expect(machine.connectionReleased("new", broken: false) == .none)
        #expect(machine.leaseRequested("c", id: 3) == .use("new"))
    }

    @Test func aBrokenConnectionFreesItsSlotForAWaiterToReconnect() {
        var machine = Machine(maxConnections: 1)
        _ = machine.leaseRequested("a", id: 1)
        #expect(machine.leaseRequested("b", id: 2) == .wait)
        #expect(machine.connectionReleased("conn1", broken: true) == .close("conn1", connectFor: "b"))
        #expect(machine.leasedCount == 1)
        #expect(machine.connectionReleased("conn2", broken: true) == .close("conn2", connectFor: nil))
        #expect(machine.leasedCount == 0)
        #expect(machine.leaseRequested("c", id: 3) == .connect)
    }

    @Test func aFailedConnectWithNothingOpenFailsTheWholeQueue() {
        var machine = Machine(maxConnections: 1)
        _ = machine.leaseRequested("a", id: 1)
        _ = machine.leaseRequested("b", id: 2)
        _ = machine.leaseRequested("c", id: 3)
        #expect(machine.connectFailed() == .failWaiters(["b", "c"]))
        #expect(machine.waiterCount == 0)
        #expect(machine.leasedCount == 0)
    }

    @Test func aFailedConnectLeavesWaitersToOpenConnections() {
        var machine = Machine(maxConnections: 2)
        _ = machine.leaseRequested("a", id: 1)
        _ = machine.leaseRequested("b", id: 2)
        #expect(machine.leaseRequested("c", id: 3) == .wait)
        #expect(machine.connectFailed() == .none)  // "a" still holds a connection; "c" gets it
        #expect(machine.connectionReleased("conn", broken: false) == .handOver("c", "conn"))
    }

    @Test func aWaiterThatLeftIsNotServed() {
        var machine = Machine(maxConnections: 1)
        _ = machine.leaseRequested("a", id: 1)
        _ = machine.leaseRequested("b", id: 2)
        _ = machine.leaseRequested("c", id: 3)
        #expect(machine.waiterLeft(id: 2) == "b")
        #expect(machine.waiterLeft(id: 2) == nil)
        #expect(machine.connectionReleased("conn", broken: false) == .handOver("c", "conn"))
    }

    @Test func anUnusedPermitGoesToTheNextWaiter() {
        var machine = Machine(maxConnections: 1)
        _ = machine.leaseRequested("a", id: 1)
        _ = machine.leaseRequested("b", id: 2)
        #expect(machine.connectPermitReturned() == .connectFor("b"))
        #expect(machine.connectPermitReturned() == .none)
        #expect(machine.leasedCount == 0)
    }

    @Test func shutdownClosesIdleFailsWaitersAndWaitsForLeases() {
        var machine = Machine(maxConnections: 2)
        _ = machine.leaseRequested("a", id: 1)
        _ = machine.leaseRequested("b", id: 2)
        _ = machine.connectionReleased("idle", broken: false)
        _ = machine.leaseRequested("c", id: 3)  // takes "idle"
        #expect(machine.leaseRequested("d", id: 4) == .wait)
        let action = machine.shutdownRequested()
        #expect(action.close == [])
        #expect(action.fail == ["d"])
        #expect(!action.finished)
        #expect(machine.leaseRequested("e", id: 5) == .fail)
        #expect(machine.connectionReleased("c1", broken: false) == .close("c1", connectFor: nil))
        #expect(machine.connectFailed() == .finishShutdown)
        #expect(machine.isShutDown)
    }

    @Test func shutdownOfAnIdlePoolFinishesAtOnce() {
        var machine = Machine(maxConnections: 2)
        _ = machine.leaseRequested("a", id: 1)
        _ = machine.connectionReleased("conn", broken: false)
        let action = machine.shutdownRequested()
        #expect(action.close == ["conn"])
        #expect(action.finished)
        #expect(machine.isShutDown)
    }
}
