public import ProtoWire

/// The request messages of a streaming call, not yet decoded, in the order they arrived. The
/// protocol layer feeds it through a bounded buffer (`GRPCStreamingRequestHandler`).
public typealias RequestMessages = AsyncThrowingStream<EncodedRequest, any Error>

/// The request messages of a bidirectional call, each decoded as the handler asks for it.
///
/// A message is handed over as soon as it is whole, not when the request ends, so a client
/// that waits for an answer before sending its next message is served. The sequence ends when
/// the client ends its request; it throws `CancellationError` once the call is over (deadline,
/// client gone, shutdown) and the protocol's error when the client broke it (a message over
/// the method's size limit, more messages waiting than the buffer holds).
public struct RequestStream<Input: ProtoMessage>: AsyncSequence, Sendable {
    public typealias Element = Input

    let messages: RequestMessages

    public struct AsyncIterator: AsyncIteratorProtocol {
        var messages: RequestMessages.AsyncIterator

        public mutating func next() async throws -> Input? {
            guard let message = try await self.messages.next() else {
                // The stream also ends when the task is cancelled: that is not the client's end.
                try Task.checkCancellation()
                return nil
            }
            return try Input.decode(message)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(messages: self.messages.makeAsyncIterator())
    }
}
