import BookingAPI
import RPC

/// CallService and ExpertService are registered from the start so clients can discover
/// them, but until the storage layer exists each RPC answers UNIMPLEMENTED and says why.
enum PendingServices {
    static func register(in router: inout RPCRouter) {
        func pending<Input, Output>(_ method: UnaryMethod<Input, Output>) {
            router.register(method) { _, _ in
                throw RPCError(
                    .unimplemented,
                    "\(method.descriptor.method) is not available yet: it needs the PostgreSQL storage of calls and experts")
            }
        }
        pending(CallServiceMethods.createCall)
        pending(CallServiceMethods.getCall)
        pending(CallServiceMethods.createCallToken)
        pending(CallServiceMethods.listUpcomingCalls)
        pending(CallServiceMethods.completeCall)
        pending(CallServiceMethods.cancelCall)
        pending(CallServiceMethods.listCallRecordings)
        pending(CallServiceMethods.reassignCall)
        pending(CallServiceMethods.getCallAnalytics)
        pending(ExpertServiceMethods.listExperts)
        pending(ExpertServiceMethods.getExpert)
        pending(ExpertServiceMethods.createExpert)
        pending(ExpertServiceMethods.setExpertAvailability)
        pending(ExpertServiceMethods.holdSlot)
        pending(ExpertServiceMethods.releaseHold)
    }
}
