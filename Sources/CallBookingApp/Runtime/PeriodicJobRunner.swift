import BookingStore
import Foundation
import Logging

/// Runs a job every `interval` across all replicas: each replica runs this loop, and a round is
/// claimed in the database (`PeriodicJobs`) so that exactly one replica does it. A task of its
/// own, never on an event loop; it ends when its task is cancelled (shutdown).
///
/// The first claim comes `initialDelay` after start, so a fresh deployment (or a job never run)
/// syncs at once, while replicas restarting within an interval of the last round wait for it.
struct PeriodicJobRunner: Sendable {
    let jobs: PeriodicJobs
    let job: String
    let interval: Duration
    let initialDelay: Duration
    /// This replica's name in `calls.periodic_jobs.last_claimed_by`.
    let holder: String
    let logger: Logger

    /// Between two claims at least this (a clock oddity must not spin the loop), at most `interval`.
    static let minimumPause: Duration = .seconds(1)
    /// After a failed claim (database down): try again this much later, or after `interval` if sooner.
    static let retryPause: Duration = .seconds(30)

    /// `host:pid`, unique enough among replicas to tell them apart in the table. `gethostname`
    /// rather than `ProcessInfo.hostName`, which may wait for DNS to canonicalise the name.
    static var replicaName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let named = gethostname(&buffer, buffer.count - 1) == 0
        let host = named ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown-host"
        return "\(host):\(getpid())"
    }

    func run(_ round: @Sendable () async -> Void) async {
        guard (try? await Task.sleep(for: self.initialDelay)) != nil else { return }
        while !Task.isCancelled {
            var pause: Duration
            do {
                switch try await self.jobs.claim(self.job, every: self.interval, by: self.holder) {
                case .claimed:
                    await round()
                    continue  // the next claim answers how long until the round after this one
                case .notDue(let dueIn):
                    pause = dueIn
                }
            } catch {
                self.logger.warning(
                    "could not claim a periodic job; trying again later", metadata: ["job": "\(self.job)", "error": "\(error)"])
                pause = min(Self.retryPause, self.interval)
            }
            pause = min(max(pause, Self.minimumPause), self.interval)
            guard (try? await Task.sleep(for: pause)) != nil else { return }
        }
    }
}
