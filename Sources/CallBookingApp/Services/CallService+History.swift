import BookingAPI
import BookingDomain
import BookingStore
import Foundation
import ProtoWire

extension CallService {
    /// A page of ListCalls. Newest first, so the cursor is the last call of the page and the
    /// next page lies before it.
    func list(_ request: ListCallsRequest, by caller: Principal) async throws -> ListCallsResponse {
        let expertID = request.expertID.isEmpty ? nil : try ExpertID(validating: request.expertID, field: "expert_id")
        let scope = try AccessPolicy.historyFilter(
            expertID: expertID, customerUserID: request.customerUserID.isEmpty ? nil : request.customerUserID,
            needsReassignment: request.needsReassignment, for: caller)
        let states = try Set(request.states.map(BookingDomain.CallState.init(filtering:)))
        let from = try request.from.map { try Timestamp.required($0, field: "from") }
        let to = try request.to.map { try Timestamp.required($0, field: "to") }
        if let from, let to, from >= to { throw BookingError.invalidArgument("from must be before to") }
        try await self.claims.claimOnce(for: caller)
        let limit = try PageSize.normalized(Int(request.pageSize))
        let cursor = request.pageToken.isEmpty ? nil : try PageCursor(token: request.pageToken)
        let query = CallHistoryQuery(
            expertID: scope.expertID, customerUserID: scope.customerUserID, states: states, from: from, to: to,
            needsReassignment: request.needsReassignment)
        let page = try await self.calls.history(query, after: cursor, now: self.now(), limit: limit + 1)
        var response = ListCallsResponse()
        (response.calls, response.nextPageToken) = self.page(page, limit: limit, for: caller)
        return response
    }
}

extension BookingDomain.CallState {
    /// A `states` filter value; UNSPECIFIED and numbers this build does not know name no state.
    init(filtering state: BookingAPI.CallState) throws(BookingError) {
        switch state {
        case .scheduled: self = .scheduled
        case .inProgress: self = .inProgress
        case .completed: self = .completed
        case .cancelled: self = .cancelled
        case .noShow: self = .noShow
        default: throw .invalidArgument("states: \(state.rawValue) is not a call state")
        }
    }
}
