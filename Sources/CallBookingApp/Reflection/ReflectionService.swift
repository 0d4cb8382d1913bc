import BookingAPI
import RPC
import ServerReflection

/// `grpc.reflection.v1.ServerReflection` and `grpc.reflection.v1alpha.ServerReflection`, so
/// that grpcurl and Postman find every service, method and message from the address alone.
/// Open to anyone, as the .proto files are public; so each stream is bounded: small requests,
/// `maxRequestsPerStream` of them, `streamLimits` streams open, and the body timeout.
struct ReflectionService {
    let index: DescriptorIndex
    let streams: WatchStreamLimiter

    /// A request is a host and one name; 4 KiB leaves room for any name in proto/.
    static let policy = MethodPolicy.open(maxRequestSize: 4096)
    /// grpcurl's `describe` of the whole server asks 1 + a few per service; one more request
    /// ends the stream RESOURCE_EXHAUSTED.
    static let maxRequestsPerStream = 100
    /// Open reflection streams in all and per connection: what a client can make the server
    /// queue for it (up to a full set of descriptors, about 32 KiB, per answer) stays small.
    static let streamLimits = WatchLimits(total: 64, perConnection: 4)

    init(index: DescriptorIndex) {
        self.index = index
        self.streams = WatchStreamLimiter(limits: Self.streamLimits, kind: "reflection")
    }

    /// Registers both versions. Call it last: `list_services` answers with every service the
    /// router serves by then, these two included.
    func register(in router: inout RPCRouter) {
        let methods = [ReflectionMethods.v1, ReflectionMethods.v1alpha]
        let services = router.services.union(methods.map(\.descriptor.service)).sorted()
        let index = self.index
        let streams = self.streams
        for method in methods {
            router.register(method, policy: Self.policy) { requests, context, responses in
                try await streams.withStream(on: context.connectionID) {
                    var session = ReflectionSession(index: index, services: services)
                    var answered = 0
                    for try await request in requests {
                        guard answered < Self.maxRequestsPerStream else {
                            throw RPCError(.resourceExhausted, "at most \(Self.maxRequestsPerStream) requests per reflection stream")
                        }
                        try await responses.send(session.answer(request))
                        answered += 1
                    }
                }
            }
        }
    }
}
