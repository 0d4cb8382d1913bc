import NIOCore
import Synchronization

/// Carries response parts from any thread to the connection's event loop. Writes queue up
/// under a lock and one event-loop task submits everything queued, so that responses
/// finishing together cost one hop, one write and one flush rather than one each.
final class HTTP2ResponseSink: ResponseSink {
    enum Command {
        case write([ResponsePart], streamID: Int32)
        case reset(streamID: Int32, StreamResetReason)
        case workFinished(streamID: Int32)
    }

    private struct Queue {
        var commands: [Command] = []
        var drainScheduled = false
    }

    private let handler: NIOLoopBound<HTTP2ConnectionHandler>
    private let eventLoop: any EventLoop
    private let slot: ConnectionSlot?
    private let queue = Mutex(Queue())

    init(handler: HTTP2ConnectionHandler, eventLoop: any EventLoop, slot: ConnectionSlot?) {
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
        self.eventLoop = eventLoop
        self.slot = slot
    }

    func write(_ parts: [ResponsePart], streamID: Int32) {
        self.enqueue(.write(parts, streamID: streamID))
    }

    func reset(streamID: Int32, reason: StreamResetReason) {
        self.enqueue(.reset(streamID: streamID, reason))
    }

    func workStarted(streamID: Int32) {
        self.slot?.retain()
        self.handler.value.workStarted(streamID: streamID)
    }

    func workFinished(streamID: Int32) {
        // The connection's place in the server's caps goes at once (the loop may be gone);
        // the per-connection count follows on the loop.
        self.slot?.release()
        self.enqueue(.workFinished(streamID: streamID))
    }

    private func enqueue(_ command: Command) {
        let mustSchedule = self.queue.withLock { queue -> Bool in
            queue.commands.append(command)
            defer { queue.drainScheduled = true }
            return !queue.drainScheduled
        }
        guard mustSchedule else { return }
        if self.eventLoop.inEventLoop {
            self.drain()
        } else {
            self.eventLoop.execute { self.drain() }
        }
    }

    private func drain() {
        let commands = self.queue.withLock { queue -> [Command] in
            defer {
                queue.commands = []
                queue.drainScheduled = false
            }
            return queue.commands
        }
        self.handler.value.submit(commands)
    }
}
