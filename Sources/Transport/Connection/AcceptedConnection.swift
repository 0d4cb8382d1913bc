import NIOCore

/// What a connection's protocol handler inherits from the accept: which connection it is, when
/// its clock started, its limits and its place in `ConnectionAdmission`.
struct AcceptedConnection {
    let id: UInt64
    let acceptedAt: NIODeadline
    let limits: ConnectionLimits
    /// Nil only in tests that build a handler without a server.
    let slot: ConnectionSlot?

    var machineConfiguration: ConnectionStateMachine.Configuration { .init(self.limits) }
}
