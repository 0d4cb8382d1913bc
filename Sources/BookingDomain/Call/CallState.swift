/// Where a call is in its life; the transitions between them are `CallLifecycle`'s.
///
/// The raw values are the contract's names (`CALL_STATE_*` without the prefix), which the
/// event log stores and error messages show.
public enum CallState: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case scheduled = "SCHEDULED"
    case inProgress = "IN_PROGRESS"
    case completed = "COMPLETED"
    case cancelled = "CANCELLED"
    case noShow = "NO_SHOW"

    public var description: String { self.rawValue }

    /// COMPLETED and CANCELLED never change again; NO_SHOW can still be unmarked.
    public var isFinal: Bool { self == .completed || self == .cancelled }
}

/// Who missed a call marked NO_SHOW.
///
/// No "unspecified": the app refuses `NO_SHOW_PARTY_UNSPECIFIED` on input, so a domain value
/// always says who it was.
public enum NoShowParty: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case customer = "CUSTOMER"
    case expert = "EXPERT"
    case both = "BOTH"

    public var description: String { self.rawValue }

    /// Both reports together: Calendly may report the customer while the video session
    /// reports the expert, and the call then records that neither came.
    public func union(_ other: NoShowParty) -> NoShowParty {
        self == other ? self : .both
    }
}
