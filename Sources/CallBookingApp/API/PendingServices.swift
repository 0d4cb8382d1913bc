import BookingAPI
import RPC

/// RPCs whose capability belongs to a later issue: registered so clients can discover them,
/// answering UNIMPLEMENTED with what they wait for (after authentication, like every RPC).
enum PendingServices {
    static func register(in router: inout RPCRouter, authenticator: any CallerAuthenticator) {
        func pending<Input, Output>(_ method: UnaryMethod<Input, Output>, waitingFor missing: String) {
            router.register(method) { _, context in
                _ = try await authenticator.authenticate(context)
                throw RPCError(.unimplemented, "\(method.descriptor.method) is not available yet: it needs \(missing)")
            }
        }
        pending(CallServiceMethods.createCallToken, waitingFor: "the Stream.io Video integration")
    }
}
