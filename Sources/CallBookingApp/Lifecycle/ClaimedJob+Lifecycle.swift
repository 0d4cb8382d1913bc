import BookingDomain
import BookingStore

extension ClaimedJob {
    /// The lifecycle job's payload; one that is not such a payload can never succeed, so the
    /// job is dead at once.
    func lifecyclePayload() throws(JobFailure) -> LifecycleJobPayload {
        guard let payload = LifecycleJobPayload(json: self.payload) else {
            throw JobFailure("payload is not a lifecycle job's", permanent: true)
        }
        return payload
    }

    /// The payload and the call it names.
    func lifecycleCall() throws(JobFailure) -> (LifecycleJobPayload, CallID) {
        let payload = try self.lifecyclePayload()
        guard let id = payload.callID.flatMap({ try? CallID(validating: $0) }) else {
            throw JobFailure("payload has no call_id", permanent: true)
        }
        return (payload, id)
    }
}
