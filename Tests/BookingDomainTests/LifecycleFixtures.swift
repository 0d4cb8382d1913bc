import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// A call between a customer in `customerZone` and expert `.number(1)`, for the reminder,
/// no-show and follow-up tests.
func lifecycleCall(
    start: String, minutes: Int = 30, state: CallState = .scheduled, customerZone: String = "Europe/Berlin",
    expert: ExpertID? = .number(1), context: [QuestionAnswer] = []
) -> Call {
    let start = Date.utc(start)
    return Call(
        id: .number(7), state: state, expertID: expert,
        customer: Customer(userID: "user_2hK9abc", email: "dana@example.org", name: "Dana Lee", timeZone: customerZone),
        topic: "Tax return 2029", customerContext: context,
        scheduledStart: start, scheduledEnd: start.addingTimeInterval(TimeInterval(minutes * 60)),
        createdAt: longAgo, updatedAt: longAgo)
}

extension Expert {
    static func named(zone: String) -> Expert {
        Expert(id: .number(1), name: "Ada Expert", email: "ada@example.com", timeZone: zone, clerkUserID: "user_expert1")
    }
}

extension JoinInstructions {
    /// The API's token route and method as the app names them.
    static func fixture(_ id: CallID) -> JoinInstructions {
        JoinInstructions(
            callID: id, tokenRoute: "POST /api/v1/calls/\(id.uuidString)/token",
            tokenMethod: "loop.callbooking.v1.CallService/CreateCallToken")
    }
}
