import BookingDomain
import BookingStore

/// CONTRACT.md "Who may do what", in one place: each function answers one row of the table,
/// throwing PERMISSION_DENIED for the wrong person. Services call these before touching data;
/// nothing else decides access.
enum AccessPolicy {
    private static func deny(_ what: String) -> BookingError {
        .permissionDenied("\(what) is not allowed for this caller")
    }

    /// CreateCall: a customer books for themselves (empty `customer.user_id` means them), an
    /// admin for anyone, an expert never. Returns the customer user id to store.
    static func customerForNewCall(requested: String, by caller: Principal) throws(BookingError) -> String {
        switch caller.role {
        case .admin: return requested
        case .expert: throw Self.deny("booking a call")
        case .customer:
            guard requested.isEmpty || requested == caller.userID else { throw Self.deny("booking for someone else") }
            return caller.userID
        }
    }

    /// CreateBookingLink: customers for themselves (empty means them), admins for anyone they
    /// name, experts never. Returns the user id the link signs for.
    static func userForBookingLink(requested: String, by caller: Principal) throws(BookingError) -> String {
        switch caller.role {
        case .admin:
            guard !requested.isEmpty else { throw .invalidArgument("user_id is required: whose booking link is it?") }
            return requested
        case .expert: throw Self.deny("creating a booking link")
        case .customer:
            guard requested.isEmpty || requested == caller.userID else { throw Self.deny("a booking link for someone else") }
            return caller.userID
        }
    }

    /// A customer's email on a booking is their session's: the body may repeat it (any case)
    /// or leave it empty, never name another (INVALID_ARGUMENT). Admins book with the body's.
    static func customerEmailForNewCall(requested: String, by caller: Principal) throws(BookingError) -> String {
        guard caller.role == .customer else { return requested }
        let own = caller.email ?? ""
        guard requested.isEmpty || requested.caseInsensitiveCompare(own) == .orderedSame else {
            throw .invalidArgument("customer.email must be the email of your session, or empty")
        }
        return own
    }

    /// GetCall, CreateCallToken, ListCallRecordings, CancelCall: the call's customer, its
    /// expert, or an admin.
    static func mayAccess(_ call: Call, as caller: Principal, action: String) throws(BookingError) {
        switch caller.role {
        case .admin: return
        case .customer where !call.customer.userID.isEmpty && call.customer.userID == caller.userID: return
        case .expert where call.expertID != nil && call.expertID == caller.expertID: return
        default: throw Self.deny(action)
        }
    }

    /// CompleteCall: the call's expert or an admin; customers never.
    static func mayComplete(_ call: Call, as caller: Principal) throws(BookingError) {
        switch caller.role {
        case .admin: return
        case .expert where call.expertID != nil && call.expertID == caller.expertID: return
        default: throw Self.deny("completing this call")
        }
    }

    /// ListUpcomingCalls: which calls a caller may list. Customers see their own (an
    /// `expert_id` narrows them), experts their own (another expert's is denied), admins any.
    static func upcomingFilter(expertID requested: ExpertID?, for caller: Principal) throws(BookingError)
        -> (expertID: ExpertID?, customerUserID: String?)
    {
        switch caller.role {
        case .admin: return (requested, nil)
        case .customer: return (requested, caller.userID)
        case .expert:
            guard let own = caller.expertID else { throw Self.deny("listing calls without a linked expert") }
            guard requested == nil || requested == own else { throw Self.deny("listing another expert's calls") }
            return (own, nil)
        }
    }

    /// ListCalls: customers their own calls, experts theirs, admins any; only admins look for
    /// calls that need reassignment.
    static func historyFilter(
        expertID requested: ExpertID?, customerUserID requestedCustomer: String?, needsReassignment: Bool,
        for caller: Principal
    ) throws(BookingError) -> (expertID: ExpertID?, customerUserID: String?) {
        if needsReassignment { try Self.requireAdmin(caller, "listing calls that need reassignment") }
        switch caller.role {
        case .admin: return (requested, requestedCustomer)
        case .customer:
            guard requestedCustomer == nil || requestedCustomer == caller.userID else {
                throw Self.deny("listing another customer's calls")
            }
            return (requested, caller.userID)
        case .expert:
            guard let own = caller.expertID else { throw Self.deny("listing calls without a linked expert") }
            guard requested == nil || requested == own else { throw Self.deny("listing another expert's calls") }
            return (own, requestedCustomer)
        }
    }

    /// CreateExpert, ReassignCall: admins only.
    static func requireAdmin(_ caller: Principal, _ action: String) throws(BookingError) {
        guard caller.isAdmin else { throw Self.deny(action) }
    }

    /// SetExpertAvailability: that expert or an admin.
    static func mayEditAvailability(of expertID: ExpertID, as caller: Principal) throws(BookingError) {
        guard caller.isAdmin || (caller.role == .expert && caller.expertID == expertID) else {
            throw Self.deny("changing this expert's availability")
        }
    }

    /// UpdateExpert: admins any field; an expert their own profile fields, never `active`,
    /// `scheduling.weight` or `scheduling.priority` (the denial names the field); customers never.
    static func mayUpdate(_ expertID: ExpertID, _ update: ExpertUpdate, as caller: Principal) throws(BookingError) {
        if caller.isAdmin { return }
        guard caller.role == .expert, caller.expertID == expertID else { throw Self.deny("changing this expert") }
        if let field = update.adminOnlyField {
            throw .permissionDenied("changing \(field.rawValue) is for admins; experts change their own profile fields")
        }
    }

    /// ListExperts, GetExpert: everyone reads experts; email, Clerk and Calendly ids, rules,
    /// time off and calendar busy times only admins and the expert themselves.
    static func seesPrivateFields(of expertID: ExpertID, as caller: Principal) -> Bool {
        caller.isAdmin || (caller.role == .expert && caller.expertID == expertID)
    }

    /// HoldSlot: a customer holds for themselves (empty means them), an admin for anyone, an
    /// expert never. Returns the customer user id the hold is for.
    static func customerForNewHold(requested: String, by caller: Principal) throws(BookingError) -> String {
        switch caller.role {
        case .admin:
            guard !requested.isEmpty else { throw .invalidArgument("customer_user_id is required when an admin holds") }
            return requested
        case .expert: throw Self.deny("holding a slot")
        case .customer:
            guard requested.isEmpty || requested == caller.userID else { throw Self.deny("holding for someone else") }
            return caller.userID
        }
    }

    /// ReleaseHold, and booking with `hold_id`: the holder or an admin.
    static func mayUse(_ hold: StoredHold, as caller: Principal) throws(BookingError) {
        guard caller.isAdmin || (caller.role == .customer && hold.customerUserID == caller.userID) else {
            throw Self.deny("using this hold")
        }
    }

    /// Assignment candidates with their scores: admins only.
    static func seesCandidates(_ caller: Principal) -> Bool { caller.isAdmin }
}

extension AccessPolicy {
    /// GetCallAnalytics: whose calls a caller may analyse. Admins any expert's or all (nil);
    /// experts only their own (empty means them, another's is denied); customers never.
    static func analyticsScope(expertID requested: ExpertID?, for caller: Principal) throws(BookingError) -> ExpertID? {
        switch caller.role {
        case .admin: return requested
        case .customer: throw Self.deny("reading call analytics")
        case .expert:
            guard let own = caller.expertID else { throw Self.deny("reading analytics without a linked expert") }
            guard requested == nil || requested == own else { throw Self.deny("reading another expert's analytics") }
            return own
        }
    }
}
