import NIOCore
import Synchronization

/// Counts connections in all and per peer, and refuses those over `maxConnections` or
/// `maxConnectionsPerPeer` as they are accepted. A connection counts until its socket has
/// closed *and* every handler it started has returned (`ConnectionSlot`), so a client cannot
/// escape the caps by closing connections whose handlers are still running.
final class ConnectionAdmission: Sendable {
    private struct State {
        var total = 0
        var perPeer: [PeerKey: Int] = [:]
    }

    private let maxConnections: Int
    private let maxPerPeer: Int
    private let state = Mutex(State())

    init(maxConnections: Int, maxPerPeer: Int) {
        self.maxConnections = maxConnections
        self.maxPerPeer = maxPerPeer
    }

    enum Refusal: String, Sendable {
        case serverFull = "server_full"
        case peerFull = "peer_full"
    }

    /// A slot for a new connection from `peer`, or why there is none.
    func admit(_ peer: PeerKey) -> Result<ConnectionSlot, RefusalError> {
        let outcome = self.state.withLock { state -> Result<Int, RefusalError> in
            guard state.total < self.maxConnections else { return .failure(RefusalError(refusal: .serverFull)) }
            let fromPeer = state.perPeer[peer, default: 0]
            guard fromPeer < self.maxPerPeer else { return .failure(RefusalError(refusal: .peerFull)) }
            state.total += 1
            state.perPeer[peer] = fromPeer + 1
            return .success(state.total)
        }
        switch outcome {
        case .success(let total):
            TransportMetrics.connectionsCounted(total)
            return .success(ConnectionSlot(admission: self, peer: peer))
        case .failure(let refused):
            TransportMetrics.connectionRefused(refused.refusal)
            return .failure(refused)
        }
    }

    struct RefusalError: Error {
        let refusal: Refusal
    }

    var openConnections: Int { self.state.withLock { $0.total } }

    fileprivate func release(_ peer: PeerKey) {
        let total = self.state.withLock { state -> Int in
            state.total -= 1
            let remaining = state.perPeer[peer, default: 1] - 1
            state.perPeer[peer] = remaining > 0 ? remaining : nil
            return state.total
        }
        TransportMetrics.connectionsCounted(total)
    }
}

/// One admitted connection's place in `ConnectionAdmission`. It is held by the socket and by
/// each handler the connection started; the last to let go gives the place back.
final class ConnectionSlot: Sendable {
    private let admission: ConnectionAdmission
    private let peer: PeerKey
    /// The socket's hold plus one per running handler.
    private let holds = Atomic<Int>(1)

    fileprivate init(admission: ConnectionAdmission, peer: PeerKey) {
        self.admission = admission
        self.peer = peer
    }

    func retain() {
        self.holds.add(1, ordering: .relaxed)
    }

    func release() {
        if self.holds.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
            self.admission.release(self.peer)
        }
    }
}

/// Whose connections count together: one IPv4 address, or the /64 of an IPv6 address (an
/// IPv4-mapped IPv6 address counts as its IPv4 address).
struct PeerKey: Hashable, Sendable {
    private let high: UInt64
    private let low: UInt64

    static let local = PeerKey(high: 0, low: 0)

    private init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(_ address: SocketAddress?) {
        switch address {
        case .v4(let v4):
            self.init(high: 4, low: UInt64(UInt32(bigEndian: v4.address.sin_addr.s_addr)))
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            let isV4Mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            if isV4Mapped {
                let v4 = bytes[12..<16].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                self.init(high: 4, low: UInt64(v4))
            } else {
                let prefix = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                self.init(high: 6, low: prefix)
            }
        case .unixDomainSocket, nil:
            self = .local
        }
    }
}
