import Foundation

/// Which of an expert's topics a call's topic is about: a topic keyword matches when each of
/// its words is a word of the call's topic, ignoring case ("VAT" matches "Question on VAT
/// refunds", "machine learning" matches "Machine-learning for invoices" and not "learning").
/// Words are runs of letters and digits.
public struct TopicMatch: Sendable, Hashable {
    private let words: Set<String>

    public init(topic: String) {
        self.words = Self.words(of: topic)
    }

    /// The expert's topics that match, in the expert's order; empty when none does.
    public func matchingTopics(of expert: Expert) -> [String] {
        guard !self.words.isEmpty else { return [] }
        return expert.topics.filter { keyword in
            let wanted = Self.words(of: keyword)
            return !wanted.isEmpty && wanted.isSubset(of: self.words)
        }
    }

    static func words(of text: String) -> Set<String> {
        Set(
            text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init))
    }
}
