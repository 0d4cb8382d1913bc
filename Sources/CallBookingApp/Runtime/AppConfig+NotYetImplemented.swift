/// Settings the contract names that this build does not implement yet. No setting is silent:
/// each of these, when set, stops the server at start with an error saying so, rather than
/// being accepted and ignored.
extension AppConfig {
    static let notYetImplemented: [(variable: String, problem: String)] = [
        ("DATABASE_READ_URL", "a read replica is not implemented yet"),
    ]

    /// Throws for the first of `notYetImplemented` that is set to anything but the empty string.
    static func refuseNotYetImplemented(_ environment: [String: String]) throws(AppConfig.Error) {
        for (variable, problem) in Self.notYetImplemented {
            if let value = environment[variable], !value.isEmpty {
                throw Error(variable: variable, problem: problem)
            }
        }
    }
}
