import BookingStore

/// A job's failure: `permanent` when retrying cannot help (the job goes dead at once).
/// `message` is stored on the job and logged: never a secret.
struct JobFailure: Error, CustomStringConvertible {
    var message: String
    var permanent: Bool

    init(_ message: String, permanent: Bool = false) {
        self.message = message
        self.permanent = permanent
    }

    var description: String { self.message }
}

/// The handler of each job kind, by its name. A handler gets its payload decoded as its kind's
/// type (a payload that does not decode makes the job dead at once), throws to retry
/// (`JobFailure` with `permanent` to give up), and returning completes the job. Handlers may
/// run more than once for one job (a lease can end while one runs), so each must be idempotent.
///
/// A kind may also have a `whenDead` handler: the worker calls it with the payload and the
/// last error once the queue has made a job of that kind dead (a permanent failure, or the
/// last attempt failed), so what the job was for can be recorded as given up. It cannot
/// fail the job any further: it logs what it could not record.
struct JobHandlers: Sendable {
    typealias Handler = @Sendable (ClaimedJob) async throws -> Void
    typealias DeadHandler = @Sendable (ClaimedJob, _ error: String) async -> Void

    private var handlers: [String: Handler] = [:]
    private var deadHandlers: [String: DeadHandler] = [:]

    /// Adds the handler of `kind`, and what to do when a job of it is dead; one per kind.
    mutating func register<Kind: JobKind>(
        _ kind: Kind.Type, _ handler: @escaping @Sendable (Kind.Payload, ClaimedJob) async throws -> Void,
        whenDead: (@Sendable (Kind.Payload, _ error: String) async -> Void)? = nil
    ) {
        precondition(self.handlers[Kind.name] == nil, "two handlers for job kind \(Kind.name)")
        self.handlers[Kind.name] = { job in
            let payload: Kind.Payload
            do {
                payload = try job.payload(of: Kind.self)
            } catch {
                throw JobFailure("\(error)", permanent: true)
            }
            try await handler(payload, job)
        }
        if let whenDead {
            // A payload that does not decode has nothing to record.
            self.deadHandlers[Kind.name] = { job, error in
                guard let payload = try? job.payload(of: Kind.self) else { return }
                await whenDead(payload, error)
            }
        }
    }

    func handler(for kind: String) -> Handler? { self.handlers[kind] }

    func deadHandler(for kind: String) -> DeadHandler? { self.deadHandlers[kind] }

    var kinds: [String] { self.handlers.keys.sorted() }
}
