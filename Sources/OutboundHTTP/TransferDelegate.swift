import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// The delegate of `URLSessionHTTPClient`'s session: collects each task's answer as it arrives,
/// refuses one over `limit` bytes as soon as that shows, and refuses every redirect.
///
/// A session has one delegate for all its tasks, so each task's `PendingExchange` and bytes so
/// far are kept here by task identifier, under a lock. The callbacks come one at a time, in
/// order, on `callbacks`: swift-corelibs-foundation queues every chunk there from its libcurl
/// thread, with no backpressure, so the queue runs on a dispatch queue of its own. The default
/// one runs on the global queues, which on Linux also run Swift concurrency's jobs: in a busy
/// process it fell behind libcurl by tens of MiB, read before the cap could be seen.
///
/// The cap works in two steps: a `Content-Length` over it refuses the answer when its head
/// arrives, and otherwise the body is counted as it arrives and refused at the chunk that
/// crosses it. A refusal hands the caller its error at once, forgets the task (chunks still
/// queued are dropped) and cancels it, which closes the connection; a caller that stops waiting
/// (`abandon`) does the same. Tasks are cancelled on `cancellations`, and explicitly:
/// swift-corelibs-foundation ignores the `.cancel` disposition of a response. What libcurl
/// reads between the chunk that crosses the cap and the cancellation is dropped unread.
final class TransferDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct Transfer {
        let exchange: PendingExchange
        /// Status and header fields, once the head has arrived.
        var head: OutboundResponse?
        var body = Data()
    }

    /// Where refused tasks are cancelled: a queue of its own, for the same reason as
    /// `callbacks`; on the global queues a busy process delayed the hang-up, and libcurl read on.
    private static let cancellations = DispatchQueue(label: "call-booking.outbound.cancellations")
    /// The session's delegate queue: serial, on `callbackQueue`.
    let callbacks: OperationQueue
    /// Kept here: `OperationQueue.underlyingQueue` does not retain it.
    private let callbackQueue = DispatchQueue(label: "call-booking.outbound.callbacks")
    private let limit: Int
    private let transfers = Mutex<[Int: Transfer]>([:])

    init(limit: Int) {
        self.limit = limit
        self.callbacks = OperationQueue()
        self.callbacks.maxConcurrentOperationCount = 1
        self.callbacks.underlyingQueue = self.callbackQueue
    }

    /// Before `task` is resumed: its callbacks go to `exchange`.
    func register(_ exchange: PendingExchange, for task: URLSessionTask) {
        self.transfers.withLock { $0[task.taskIdentifier] = Transfer(exchange: exchange) }
    }

    /// For a task whose caller stopped waiting (cancelled, before or after it started): nothing
    /// more of its answer is kept, and the task is cancelled on `cancellations`.
    func abandon(_ task: URLSessionTask) {
        _ = self.transfers.withLock { $0.removeValue(forKey: task.taskIdentifier) }
        Self.cancellations.async { task.cancel() }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        guard let http = response as? HTTPURLResponse else {
            completionHandler(.allow)   // not HTTP: completion reports it
            return
        }
        if http.expectedContentLength > Int64(self.limit) {
            self.refuse(dataTask, "the answer announces \(http.expectedContentLength) bytes, over the \(self.limit)-byte cap")
            completionHandler(.cancel)
            return
        }
        self.transfers.withLock { $0[dataTask.taskIdentifier]?.head = OutboundResponse(http, body: Data()) }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let withinLimit = self.transfers.withLock { transfers -> Bool in
            guard let received = transfers[dataTask.taskIdentifier]?.body.count else { return true }   // refused already
            guard received + data.count <= self.limit else { return false }
            transfers[dataTask.taskIdentifier]?.body.append(data)
            return true
        }
        if !withinLimit {
            self.refuse(dataTask, "the answer is longer than the \(self.limit)-byte cap")
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let transfer = self.transfers.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        if let error {
            transfer.exchange.finish(.failure(error))
            return
        }
        // A refused redirect may complete without a head of its own: the task has it.
        guard var response = transfer.head ?? (task.response as? HTTPURLResponse).map({ OutboundResponse($0, body: Data()) })
        else {
            transfer.exchange.finish(.failure(URLError(.badServerResponse)))
            return
        }
        response.body = transfer.body
        transfer.exchange.finish(.success(response))
    }

    /// Redirects are answers, never followed: following one would send our keys wherever it points.
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    private func refuse(_ task: URLSessionTask, _ reason: String) {
        guard let transfer = self.transfers.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        transfer.exchange.finish(.failure(URLError(.dataLengthExceedsMaximum, userInfo: [NSLocalizedDescriptionKey: reason])))
        Self.cancellations.async { task.cancel() }
    }
}
