import CLibPQ

/// A notification as PostgreSQL delivered it (`NOTIFY channel, 'payload'`).
struct PGNotification: Sendable, Equatable {
    let channel: String
    let payload: String
}

extension PGConnection {
    /// The connection's socket, for `poll` (libpq keeps it non-blocking); nil once there is none.
    var socket: Int32? {
        let socket = PQsocket(self.handle)
        return socket >= 0 ? socket : nil
    }

    /// Reads whatever the server has sent, without waiting, and returns the notifications
    /// received so far (also those that arrived while a statement ran). Throws
    /// `connectionLost` once the server has closed the connection.
    func receiveNotifications() throws(StoreError) -> [PGNotification] {
        guard !self.isBroken, PQconsumeInput(self.handle) != 0, PQstatus(self.handle) == CONNECTION_OK else {
            self.isBroken = true
            throw StoreError(code: .connectionLost, message: Self.trimmedMessage(PQerrorMessage(self.handle)))
        }
        var received: [PGNotification] = []
        while let notification = PQnotifies(self.handle) {
            defer { PQfreemem(notification) }
            received.append(
                PGNotification(
                    channel: String(cString: notification.pointee.relname),
                    payload: String(cString: notification.pointee.extra)))
        }
        return received
    }
}
