public import NIOCore
import NIOPosix

/// Runs Swift tasks on the event loop they were started from: a call's handler task preferring
/// it (`Task(executorPreference:)`) runs where its request arrived and its response is written,
/// so a request that waits for the database crosses threads twice (the loop hands the libpq
/// work to a store thread, whose answer resumes the task on the loop) instead of also waking a
/// thread of the cooperative pool on the way in and on the way out.
///
/// Handlers must then not block, as anything on an event loop: libpq and other blocking work
/// already run on their own threads. One executor per event-loop thread, made on first use.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    private init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// The executor of the event loop running on this thread; nil off the event loops.
    public static var current: EventLoopTaskExecutor? {
        if let executor = Self.perThread.currentValue { return executor }
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        let executor = EventLoopTaskExecutor(loop)
        Self.perThread.currentValue = executor
        return executor
    }

    private static let perThread = ThreadSpecificVariable<EventLoopTaskExecutor>()
}
