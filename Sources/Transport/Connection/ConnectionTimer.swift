import NIOCore

/// The one timer of a connection, armed for its state machine's next deadline. It is moved
/// only when an earlier deadline appears; otherwise it fires as armed and is re-armed for
/// whatever is then next. Requests only push deadlines later, so they never touch the event
/// loop's scheduler.
struct ConnectionTimer {
    private var armed: (deadline: NIODeadline, task: Scheduled<Void>)?

    /// Makes sure the timer fires no later than `deadline`. `fire` runs on the loop.
    mutating func arm(by deadline: NIODeadline?, on loop: any EventLoop, fire: @escaping () -> Void) {
        guard let deadline else { return }
        if let armed = self.armed {
            guard deadline < armed.deadline else { return }
            armed.task.cancel()
        }
        let task = loop.assumeIsolated().scheduleTask(deadline: deadline, fire)
        self.armed = (deadline, task)
    }

    /// Call first thing when `fire` runs.
    mutating func fired() {
        self.armed = nil
    }

    mutating func cancel() {
        self.armed?.task.cancel()
        self.armed = nil
    }
}
