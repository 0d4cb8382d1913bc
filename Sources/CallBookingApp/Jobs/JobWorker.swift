import BookingStore
import Foundation
import Logging
import Observability

/// Works the jobs outbox inside the service: claims due jobs (several replicas share the table;
/// `SKIP LOCKED` and leases make each job run once at a time), runs their handlers
/// concurrently, and completes or fails them. Polls; a batch that came back full is followed at
/// once by the next. Runs as a task of its own, never on an event loop (the store's work runs
/// on the pool's threads), and stops when that task is cancelled: a job cut short keeps its
/// lease, which ends, and the job is claimed again.
///
/// The periodic work is the same mechanism: a worker with `recurring` set first schedules its
/// `RecurringJob`s, then claims only recurring rows, so a long round (a Calendly sync) never
/// holds up a call's jobs behind it.
struct JobWorker: Sendable {
    let queue: JobQueue
    let handlers: JobHandlers
    let logger: Logger
    /// The recurring jobs this worker schedules and runs; empty: it runs every other job.
    var recurring: [RecurringJob] = []
    var pollInterval: Duration = .seconds(1)
    /// Longer than any handler takes (provider calls time out after 5 s).
    var lease: Duration = .seconds(60)
    var batchSize = 8
    /// How often `job_queue_depth` is counted (two indexed counts).
    var depthInterval: Duration = .seconds(15)

    func run() async {
        guard await self.scheduleRecurring() else { return }
        var failing = false
        var depthCounted: ContinuousClock.Instant?
        while !Task.isCancelled {
            if self.recurring.isEmpty, depthCounted.map({ ContinuousClock.now - $0 >= self.depthInterval }) ?? true {
                depthCounted = ContinuousClock.now
                await self.recordDepth()
            }
            let claimed: [ClaimedJob]
            do {
                claimed = try await self.queue.claim(
                    limit: self.batchSize, lease: self.lease, recurring: !self.recurring.isEmpty)
                if failing { self.logger.info("jobs: claiming works again") }
                failing = false
            } catch {
                if !failing { self.logger.warning("jobs: cannot claim jobs", metadata: ["error": "\(error)"]) }
                failing = true
                try? await Task.sleep(for: self.pollInterval * 5)
                continue
            }
            await withTaskGroup(of: Void.self) { group in
                for job in claimed { group.addTask { await self.execute(job) } }
            }
            if claimed.count < self.batchSize { try? await Task.sleep(for: self.pollInterval) }
        }
    }

    /// Schedules the recurring jobs, trying again while the database does not answer; false
    /// when cancelled first.
    private func scheduleRecurring() async -> Bool {
        for job in self.recurring {
            while true {
                do {
                    try await self.queue.schedule(job)
                    break
                } catch {
                    self.logger.warning("jobs: cannot schedule a recurring job", metadata: ["kind": "\(job.kind)", "error": "\(error)"])
                    guard (try? await Task.sleep(for: self.pollInterval * 5)) != nil else { return false }
                }
            }
        }
        return !Task.isCancelled
    }

    /// `job_queue_depth{state="pending"|"running"}` across replicas (a count of the table); a
    /// database that does not answer leaves the last values.
    private func recordDepth() async {
        guard let depth = try? await self.queue.depth() else { return }
        OperationsMetrics.jobQueueDepth(depth.pending, state: "pending")
        OperationsMetrics.jobQueueDepth(depth.running, state: "running")
    }

    /// Runs one claimed job and records its outcome.
    func execute(_ job: ClaimedJob) async {
        var metadata: Logger.Metadata = ["job": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempt)"]
        guard let handler = self.handlers.handler(for: job.kind) else {
            await self.fail(job, JobFailure("no handler for job kind \(job.kind)", permanent: true), metadata)
            return
        }
        do {
            try await handler(job)
        } catch is CancellationError {
            return  // shutting down: the lease ends and the job is claimed again
        } catch let failure as JobFailure {
            await self.fail(job, failure, metadata)
            return
        } catch {
            await self.fail(job, JobFailure("\(error)"), metadata)
            return
        }
        do {
            if try await self.queue.complete(job) {
                self.logger.debug("jobs: done", metadata: metadata)
            } else {
                self.logger.warning("jobs: finished after its lease ended; another attempt owns it", metadata: metadata)
            }
        } catch {
            metadata["error"] = "\(error)"
            self.logger.warning("jobs: could not mark done; it will run again", metadata: metadata)
        }
    }

    private func fail(_ job: ClaimedJob, _ failure: JobFailure, _ metadata: Logger.Metadata) async {
        var metadata = metadata
        metadata["error"] = "\(failure.message)"
        do {
            let outcome = try await self.queue.fail(job, error: failure.message, permanent: failure.permanent)
            OperationsMetrics.jobFailed(kind: job.kind, deadLettered: outcome == .dead)
            switch outcome {
            case .scheduled(let next):
                metadata["retry_at"] = "\(next)"
                self.logger.warning("jobs: attempt failed, will retry", metadata: metadata)
            case .dead:
                self.logger.error("jobs: dead, no more attempts", metadata: metadata)
                await self.handlers.deadHandler(for: job.kind)?(job, failure.message)
            case .claimLost:
                self.logger.warning("jobs: failed after its lease ended; another attempt owns it", metadata: metadata)
            }
        } catch {
            OperationsMetrics.jobFailed(kind: job.kind, deadLettered: false)
            metadata["store_error"] = "\(error)"
            self.logger.warning("jobs: could not record the failure; the lease will end and it runs again", metadata: metadata)
        }
    }
}
