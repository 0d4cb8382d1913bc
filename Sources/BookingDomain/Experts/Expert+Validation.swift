import Foundation

extension Expert {
    /// Checks a `CreateExpertRequest.expert` or an updated expert (the id is the server's, so
    /// it is not checked). Returns the expert with its specialties and topics trimmed, as they
    /// are matched.
    public func validated() throws(BookingError) -> Expert {
        try FieldRules.required(self.name, field: "expert.name")
        try FieldRules.length(self.name, atMost: CallLimits.maximumNameLength, field: "expert.name")
        if !self.email.isEmpty { try FieldRules.email(self.email, field: "expert.email") }
        try FieldRules.timeZone(self.timeZone, field: "expert.timezone")
        var copy = self
        copy.specialties = try Self.keywords(
            self.specialties, atMost: ExpertRules.maximumSpecialties, length: ExpertRules.maximumSpecialtyLength,
            field: "expert.specialties")
        copy.topics = try Self.keywords(
            self.topics, atMost: ExpertRules.maximumTopics, length: ExpertRules.maximumTopicLength,
            field: "expert.topics")
        try FieldRules.length(
            self.preparationInstructions, atMost: ExpertRules.maximumPreparationLength,
            field: "expert.preparation_instructions")
        try FieldRules.length(self.clerkUserID, atMost: 128, field: "expert.clerk_user_id")
        try FieldRules.length(self.calendlyUserURI, atMost: 2_048, field: "expert.calendly_user_uri")
        try FieldRules.length(
            self.preparationInstructions, atMost: PreparationGuide.maximumLength, field: "expert.preparation_instructions")
        _ = try self.scheduling.validated(field: "expert.scheduling")
        _ = try AvailabilityUpdate(
            validating: self.weeklyHours, timeOff: self.timeOff, dateOverrides: self.dateOverrides,
            scheduling: self.scheduling, timeZone: self.timeZone)
        return copy
    }

    /// Non-empty entries of bounded length and number, trimmed.
    private static func keywords(_ values: [String], atMost count: Int, length: Int, field: String)
        throws(BookingError) -> [String]
    {
        guard values.count <= count else { throw .invalidArgument("\(field) may have at most \(count) entries") }
        var trimmed: [String] = []
        for (index, value) in values.enumerated() {
            try FieldRules.required(value, field: "\(field)[\(index)]")
            try FieldRules.length(value, atMost: length, field: "\(field)[\(index)]")
            trimmed.append(value.trimmingCharacters(in: .whitespaces))
        }
        return trimmed
    }
}
