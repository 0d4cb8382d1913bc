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

/// The handler of each job kind. A handler throws to retry (`JobFailure` with `permanent` to
/// give up); returning completes the job. Handlers may run more than once for one job (a
/// lease can end while one runs), so each must be idempotent.
struct JobHandlers: Sendable {
    typealias Handler = @Sendable (ClaimedJob) async throws -> Void

    private var handlers: [String: Handler] = [:]

    /// Adds the handler of `kind`; one per kind.
    mutating func register(_ kind: String, _ handler: @escaping Handler) {
        precondition(self.handlers[kind] == nil, "two handlers for job kind \(kind)")
        self.handlers[kind] = handler
    }

    func handler(for kind: String) -> Handler? { self.handlers[kind] }

    var kinds: [String] { self.handlers.keys.sorted() }
}
