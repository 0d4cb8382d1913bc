import Foundation

/// What a customer is asked to prepare for a call, decided once, at booking, and stored with
/// the call: later edits to an expert's text or to the defaults do not change what a booked
/// customer was told.
///
/// In order: the expert's own text when they wrote one; else the default for the booking's
/// specialty, or for the first of the expert's specialties that has one (a booking naming its
/// expert may give no specialty); else `generic`. Specialties compare ignoring case and
/// surrounding spaces, as matching does.
public struct PreparationGuide: Sendable, Hashable {
    /// The last resort: fits any consultation.
    public static let generic = "Note what you want to get out of the call and the questions you want answered, "
        + "and have to hand anything the expert may want to see, such as notes, records or recent measurements."

    /// The defaults when `PREPARATION_FILE` is unset.
    public static let builtIn = PreparationGuide(specialtyDefaults: [
        "sleep": "Keep a short sleep diary for the nights before the call: when you went to bed, when you woke, "
            + "and how rested you felt. Note any medication or caffeine that may play a part.",
        "nutrition": "Note what you ate and drank on two or three typical days, and any allergies, intolerances "
            + "or supplements you take.",
        "fitness": "Wear comfortable clothes, have a little space to move in front of the camera, and note any "
            + "injuries or pain the expert should know about.",
    ])

    /// Longest text an expert or a default may have (characters).
    public static let maximumLength = 4_000

    /// Keyed by the specialty folded to lower case, without surrounding spaces.
    private let specialtyDefaults: [String: String]

    /// Keys that fold to the same specialty are the caller's to refuse; here the last one wins.
    public init(specialtyDefaults defaults: [String: String]) {
        var folded: [String: String] = [:]
        for (specialty, text) in defaults { folded[Self.fold(specialty)] = text }
        self.specialtyDefaults = folded
    }

    /// The text a call with `expert` (nil: none assigned yet) for `specialty` is booked with.
    public func instructions(expert: Expert?, specialty: String) -> String {
        if let own = expert?.preparationInstructions.trimmingCharacters(in: .whitespacesAndNewlines), !own.isEmpty {
            return own
        }
        for candidate in [specialty] + (expert?.specialties ?? []) {
            if let text = self.defaultText(for: candidate) { return text }
        }
        return Self.generic
    }

    /// The configured default for `specialty`, if any.
    public func defaultText(for specialty: String) -> String? {
        let key = Self.fold(specialty)
        return key.isEmpty ? nil : self.specialtyDefaults[key]
    }

    /// How specialties are compared: case and surrounding spaces ignored.
    public static func fold(_ specialty: String) -> String {
        specialty.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
