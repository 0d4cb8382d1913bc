import NIOCore
import Testing

@testable import Transport

@Suite struct ConnectionAdmissionTests {
    private func peer(_ address: String) throws -> PeerKey {
        PeerKey(try SocketAddress(ipAddress: address, port: 40000))
    }

    @Test func connectionsOverThePerPeerCapAreRefusedWhileOtherPeersGetIn() throws {
        let admission = ConnectionAdmission(maxConnections: 10, maxPerPeer: 2)
        let a = try self.peer("10.0.0.1")
        var slots: [ConnectionSlot] = []
        for _ in 0..<2 { slots.append(try admission.admit(a).get()) }
        #expect(throws: ConnectionAdmission.RefusalError.self) { try admission.admit(a).get() }
        #expect(throws: Never.self) { try admission.admit(try self.peer("10.0.0.2")).get() }
        slots[0].release()
        #expect(throws: Never.self) { try admission.admit(a).get() }
    }

    @Test func connectionsOverTheServerCapAreRefused() throws {
        let admission = ConnectionAdmission(maxConnections: 2, maxPerPeer: 10)
        _ = try admission.admit(try self.peer("10.0.0.1")).get()
        _ = try admission.admit(try self.peer("10.0.0.2")).get()
        guard case .failure(let refused) = admission.admit(try self.peer("10.0.0.3")) else {
            Issue.record("admitted a third connection")
            return
        }
        #expect(refused.refusal == .serverFull)
        #expect(admission.openConnections == 2)
    }

    @Test func aSlotIsGivenBackWhenTheSocketAndEveryHandlerHaveLetGo() throws {
        let admission = ConnectionAdmission(maxConnections: 1, maxPerPeer: 1)
        let slot = try admission.admit(try self.peer("10.0.0.1")).get()
        slot.retain()  // a handler started
        slot.retain()
        slot.release()  // the socket closed
        slot.release()
        #expect(admission.openConnections == 1)
        slot.release()  // the last handler returned
        #expect(admission.openConnections == 0)
    }

    @Test func anIPv6HostCountsAsItsSlash64AndMappedIPv4AsIPv4() throws {
        #expect(try self.peer("2001:db8:1:2::1") == (try self.peer("2001:db8:1:2:ffff::9")))
        #expect(try self.peer("2001:db8:1:2::1") != (try self.peer("2001:db8:1:3::1")))
        #expect(try self.peer("::ffff:10.0.0.1") == (try self.peer("10.0.0.1")))
        #expect(try self.peer("10.0.0.1") != (try self.peer("10.0.0.2")))
    }
}
