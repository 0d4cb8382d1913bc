import Foundation

extension Expert {
    /// Checks a `CreateExpertRequest.expert` (the id is the server's, so it is not checked).
    /// Returns the expert with its specialties trimmed, as they are matched.
    public func validated() throws(BookingError) -> Expert {
        try FieldRules.required(self.name, field: "expert.name")
        try FieldRules.length(self.name, atMost: CallLimits.maximumNameLength, field: "expert.name")
        if !self.email.isEmpty { try FieldRules.email(self.email, field: "expert.email") }
        try FieldRules.timeZone(self.timeZone, field: "expert.timezone")
        guard self.specialties.count <= ExpertRules.maximumSpecialties else {
            throw .invalidArgument("expert.specialties may have at most \(ExpertRules.maximumSpecialties) entries")
        }
        var copy = self
        copy.specialties = []
        for (index, specialty) in self.specialties.enumerated() {
            let field = "expert.specialties[\(index)]"
            try FieldRules.required(specialty, field: field)
            try FieldRules.length(specialty, atMost: ExpertRules.maximumSpecialtyLength, field: field)
            copy.specialties.append(specialty.trimmingCharacters(in: .whitespaces))
        }
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
}
