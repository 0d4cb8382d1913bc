#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets one thread interrupt another that waits in `poll` on a socket: the waiter watches the
/// read end of this pipe beside its socket, and `signal()` writes a byte to the write end.
/// Stopping is final, so the byte is never read back: once signalled, every wait returns at once.
///
/// Sendable: the two descriptors are set once and closed in `deinit`, when no thread can use
/// them any more; `write` and `poll` on them are thread-safe.
final class StopPipe: Sendable {
    enum Wake: Equatable {
        case stopped
        case socketReadable
        case timedOut
    }

    private let readEnd: Int32
    private let writeEnd: Int32

    init() throws(StoreError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw StoreError(code: .other, message: "cannot create a pipe: errno \(errno)")
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        self.readEnd = ends[0]
        self.writeEnd = ends[1]
    }

    deinit {
        close(self.readEnd)
        close(self.writeEnd)
    }

    /// Wakes every present and future `wait`. From any thread; never blocks.
    func signal() {
        var byte: UInt8 = 1
        _ = write(self.writeEnd, &byte, 1)
    }

    /// Blocks the calling thread until `signal()`, until `socket` has something to read (or was
    /// closed: libpq then finds out), or until `timeout` passes. Stopping wins over the socket.
    func wait(socket: Int32?, timeout: Duration) -> Wake {
        var descriptors = [pollfd(fd: self.readEnd, events: Int16(POLLIN), revents: 0)]
        if let socket { descriptors.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0)) }
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        var ready: Int32
        repeat {
            ready = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
        } while ready < 0 && errno == EINTR
        if descriptors[0].revents != 0 { return .stopped }
        if descriptors.count > 1, descriptors[1].revents != 0 { return .socketReadable }
        return .timedOut
    }
}
