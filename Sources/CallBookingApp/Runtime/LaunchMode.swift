/// What one run of the executable does, from its arguments: serve (none), or apply the
/// database migrations and exit (`migrate`), as a deployment's migration job runs it before a
/// rollout.
public enum LaunchMode: Sendable, Equatable {
    case serve
    case migrate

    public static let usage = """
        usage: call-booking            serve gRPC and REST on PORT (settings: README "Configuration")
               call-booking migrate    apply pending database migrations to DATABASE_URL and exit
        """

    public struct Error: Swift.Error, CustomStringConvertible {
        public let arguments: [String]
        public var description: String {
            "unexpected arguments \(self.arguments.map { "\"\($0)\"" }.joined(separator: " "))\n\(LaunchMode.usage)"
        }
    }

    /// `arguments` without the program name (`CommandLine.arguments.dropFirst()`).
    public init(arguments: [String]) throws(LaunchMode.Error) {
        switch arguments {
        case []: self = .serve
        case ["migrate"]: self = .migrate
        default: throw Error(arguments: arguments)
        }
    }
}
