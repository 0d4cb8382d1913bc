import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// Which text a booking stores: the expert's, else the specialty's default, else the generic one.
@Suite struct PreparationGuideTests {
    let guide = PreparationGuide(specialtyDefaults: ["Sleep": "Bring your sleep diary.", " tax ": "Bring last year's return."])

    func expert(_ text: String = "", specialties: [String] = ["tax"]) -> Expert {
        Expert(id: ExpertID(), name: "Ada", specialties: specialties, timeZone: "UTC", preparationInstructions: text)
    }

    @Test func theExpertsOwnTextWins() {
        #expect(self.guide.instructions(expert: self.expert("Have your blood results."), specialty: "sleep") == "Have your blood results.")
    }

    @Test func aBlankTextOfTheExpertsIsNoText() {
        #expect(self.guide.instructions(expert: self.expert("  \n"), specialty: "sleep") == "Bring your sleep diary.")
    }

    @Test func theBookingsSpecialtyComesBeforeTheExperts() {
        #expect(self.guide.instructions(expert: self.expert(), specialty: "SLEEP ") == "Bring your sleep diary.")
    }

    @Test func withoutASpecialtyTheExpertsFirstOneWithADefaultIsUsed() {
        let expert = self.expert(specialties: ["coaching", "Tax"])
        #expect(self.guide.instructions(expert: expert, specialty: "") == "Bring last year's return.")
        #expect(self.guide.instructions(expert: expert, specialty: "coaching") == "Bring last year's return.")
    }

    @Test func withNothingToGoOnTheGenericTextIsUsed() {
        #expect(self.guide.instructions(expert: nil, specialty: "") == PreparationGuide.generic)
        #expect(self.guide.instructions(expert: self.expert(specialties: ["coaching"]), specialty: "yoga") == PreparationGuide.generic)
    }

    @Test func theBuiltInDefaultsCoverTheDemoSpecialties() {
        for specialty in ["sleep", "nutrition", "fitness"] {
            #expect(PreparationGuide.builtIn.defaultText(for: specialty) != nil, "\(specialty)")
        }
        #expect(PreparationGuide.builtIn.defaultText(for: "tax") == nil)
    }

    @Test func anExpertsTextIsBounded() {
        var expert = self.expert(String(repeating: "x", count: PreparationGuide.maximumLength + 1))
        expert.weeklyHours = []
        #expect(throws: BookingError.self) { try expert.validated() }
        expert.preparationInstructions = String(repeating: "x", count: PreparationGuide.maximumLength)
        #expect(throws: Never.self) { try expert.validated() }
    }
}
