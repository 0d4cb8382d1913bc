import BookingDomain
import Foundation

extension ProductSettings {
    /// Largest `PREPARATION_FILE` read: far more than any real set of texts, small enough that a
    /// wrong path (a log, a dump) is refused rather than held in memory.
    static let maximumPreparationFileBytes = 1 << 20

    /// `PREPARATION_FILE` [unset: `PreparationGuide.builtIn`]: a JSON object from specialty to
    /// text, `{"sleep": "Keep a sleep diary…", "nutrition": "…"}`, replacing the built-in
    /// defaults. Read once, at start: a file that cannot be read, is not such an object, has a
    /// value that is not a non-empty string, a text over `PreparationGuide.maximumLength`, or two
    /// keys naming the same specialty (case and spaces ignored) stops the start naming the
    /// variable, rather than booking calls with a text nobody chose.
    static func preparationGuide(path: String?) throws(AppConfig.Error) -> PreparationGuide {
        guard let path, !path.trimmingCharacters(in: .whitespaces).isEmpty else { return .builtIn }
        func refuse(_ problem: String) -> AppConfig.Error { AppConfig.Error(variable: "PREPARATION_FILE", problem: problem) }
        let data: Data
        do {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw refuse("cannot read \(path)") }
            defer { try? handle.close() }
            data = try handle.read(upToCount: Self.maximumPreparationFileBytes + 1) ?? Data()
        } catch let error as AppConfig.Error {
            throw error
        } catch {
            throw refuse("cannot read \(path): \(error)")
        }
        guard data.count <= Self.maximumPreparationFileBytes else {
            throw refuse("\(path) is larger than \(Self.maximumPreparationFileBytes) bytes")
        }
        let texts: [String: String]
        do {
            texts = try JSONDecoder().decode([String: String].self, from: data)
        } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
            throw refuse("the value of \(context.codingPath[0].stringValue.debugDescription) in \(path) is not a string")
        } catch DecodingError.valueNotFound(_, let context) where !context.codingPath.isEmpty {
            throw refuse("the value of \(context.codingPath[0].stringValue.debugDescription) in \(path) is not a string")
        } catch {
            throw refuse("\(path) is not a JSON object from specialty to text, such as {\"sleep\": \"Keep a sleep diary.\"}")
        }
        var seen: [String: String] = [:]
        for (specialty, text) in texts.sorted(by: { $0.key < $1.key }) {
            let key = PreparationGuide.fold(specialty)
            guard !key.isEmpty else { throw refuse("\(path) has an empty specialty") }
            if let other = seen[key] {
                throw refuse("\(path) names one specialty twice: \(other.debugDescription) and \(specialty.debugDescription)")
            }
            seen[key] = specialty
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw refuse("the text for \(specialty.debugDescription) in \(path) is empty")
            }
            guard text.count <= PreparationGuide.maximumLength else {
                throw refuse(
                    "the text for \(specialty.debugDescription) in \(path) is longer than \(PreparationGuide.maximumLength) characters")
            }
        }
        return PreparationGuide(specialtyDefaults: texts)
    }
}
