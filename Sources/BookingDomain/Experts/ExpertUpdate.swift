/// The fields of an expert that UpdateExpert may change, named by their `update_mask` paths.
public enum ExpertField: String, Sendable, CaseIterable {
    case name
    case specialties
    case topics
    case timezone
    case preparationInstructions = "preparation_instructions"
    case calendlyUserURI = "calendly_user_uri"
    case active
    case weight = "scheduling.weight"
    case priority = "scheduling.priority"

    /// What an expert may change on their own record; the rest (whether they are matched,
    /// and how often) is for admins.
    public var isProfile: Bool {
        switch self {
        case .active, .weight, .priority: false
        default: true
        }
    }
}

/// An UpdateExpert request's mask, checked: every path names an updatable field, once.
public struct ExpertUpdate: Sendable, Hashable {
    public let fields: [ExpertField]

    /// Identity fields are the server's (`id`) or tied to sign-in (`email`, `clerk_user_id`);
    /// other paths are unknown. Either is INVALID_ARGUMENT naming the path.
    public init(paths: [String]) throws(BookingError) {
        guard !paths.isEmpty else {
            throw .invalidArgument("update_mask must name the fields to change, e.g. \"name\"")
        }
        var fields: [ExpertField] = []
        for path in paths {
            guard let field = ExpertField(rawValue: path) else {
                if ["id", "email", "clerk_user_id"].contains(path) {
                    throw .invalidArgument("update_mask: \(path) cannot be changed")
                }
                let known = ExpertField.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidArgument("update_mask: unknown field \"\(path)\"; updatable are \(known)")
            }
            guard !fields.contains(field) else { throw .invalidArgument("update_mask names \(path) twice") }
            fields.append(field)
        }
        self.fields = fields
    }

    /// The first field an expert may not change on their own record, if any.
    public var adminOnlyField: ExpertField? {
        self.fields.first { !$0.isProfile }
    }

    /// `current` with the masked fields taken from `changes`, validated as a whole.
    public func apply(_ changes: Expert, to current: Expert) throws(BookingError) -> Expert {
        var updated = current
        for field in self.fields {
            switch field {
            case .name: updated.name = changes.name
            case .specialties: updated.specialties = changes.specialties
            case .topics: updated.topics = changes.topics
            case .timezone: updated.timeZone = changes.timeZone
            case .preparationInstructions: updated.preparationInstructions = changes.preparationInstructions
            case .calendlyUserURI: updated.calendlyUserURI = changes.calendlyUserURI
            case .active: updated.active = changes.active
            case .weight: updated.scheduling.weight = changes.scheduling.weight
            case .priority: updated.scheduling.priority = changes.scheduling.priority
            }
        }
        return try updated.validated()
    }
}
