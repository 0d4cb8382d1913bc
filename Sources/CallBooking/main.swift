import CallBookingApp
import Foundation
import Logging
import Observability

// First, before any thread exists: SIGTERM, SIGINT and SIGHUP are caught from here on, and a
// signal sent during start-up takes effect once the service is up (ProcessSignals).
let signals = ProcessSignals.install()
let environment = ProcessInfo.processInfo.environment
// JSON lines on stderr, with every configured secret redacted, from the first line on.
let redactor = LogRedactor(secrets: AppConfig.secretValues(in: environment))
LoggingSystem.bootstrap { label in JSONLogHandler(label: label, redactor: redactor) }
var logger = Logger(label: "call-booking")

let mode: LaunchMode
do {
    mode = try LaunchMode(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    logger.critical("\(error)")
    exit(2)
}
if mode == .migrate {
    do {
        let applied = try await MigrationRun.run(environment: environment, logger: logger)
        logger.info("migrations done", metadata: ["applied": "\(applied)"])
        exit(0)
    } catch {
        logger.critical("could not migrate: \(error)")
        exit(1)
    }
}

let config: AppConfig
do {
    config = try AppConfig(environment: environment)
} catch {
    logger.critical("invalid configuration: \(error)")
    exit(2)
}
logger.logLevel = config.logLevel

do {
    let app = try await Application.start(config: config, logger: logger)
    logger.info("call-booking listening", metadata: ["port": "\(app.port ?? config.port)"])
    await app.runUntilSignalled(signals)
} catch {
    logger.critical("could not start: \(error)")
    exit(1)
}
