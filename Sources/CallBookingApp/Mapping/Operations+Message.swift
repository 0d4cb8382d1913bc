import BookingAPI
import BookingStore
import ProtoWire

extension BookingAPI.Job {
    init(_ job: JobBoard.Listed) {
        self.init()
        self.id = String(job.id)
        self.kind = job.kind
        self.callID = job.callID?.uuidString.lowercased() ?? ""
        self.state = job.state.message
        self.attempts = Int32(clamping: job.attempts)
        self.nextRunAt = job.nextRunAt.map(Timestamp.init(date:))
        self.lastError = job.lastError ?? ""
        self.createdAt = Timestamp(date: job.createdAt)
        self.updatedAt = Timestamp(date: job.updatedAt)
        self.history = job.history.map { event in
            var message = JobEvent()
            message.kind = event.kind
            message.time = Timestamp(date: event.at)
            message.actor = event.actor
            message.detail = event.detail
            return message
        }
    }
}

extension WebhookDelivery {
    init(_ entry: WebhookDeliveryLog.Entry) {
        self.init()
        let delivery = entry.delivery
        self.id = String(entry.id)
        self.provider = delivery.provider.rawValue
        self.receivedAt = Timestamp(date: entry.receivedAt)
        self.outcome = delivery.outcome.message
        self.reason = delivery.reason
        self.event = delivery.event
        self.bodySHA256 = delivery.bodySHA256
        self.bodySize = Int64(delivery.bodySize)
        self.callID = delivery.callID?.uuidString.lowercased() ?? ""
    }
}

/// Each store value's message value; requests map back by looking the message value up among
/// `allCases`, so each pairing is written once.
extension JobBoard.State {
    var message: JobState {
        switch self {
        case .pending: .pending
        case .running: .running
        case .done: .done
        case .dead: .dead
        case .failed: .failed
        }
    }
}

extension WebhookDeliveryLog.Outcome {
    var message: BookingAPI.WebhookOutcome {
        switch self {
        case .applied: .applied
        case .duplicate: .duplicate
        case .ignored: .ignored
        case .rejected: .rejected
        case .invalid: .invalid
        case .failed: .failed
        }
    }
}
