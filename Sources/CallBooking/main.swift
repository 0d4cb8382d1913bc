import CallBookingApp
import Foundation
import Logging

LoggingSystem.bootstrap(StreamLogHandler.standardError)
var logger = Logger(label: "call-booking")

let config: AppConfig
do {
    config = try AppConfig(environment: ProcessInfo.processInfo.environment)
} catch {
    logger.critical("invalid configuration: \(error)")
    exit(2)
}
logger.logLevel = config.logLevel

do {
    let app = try await Application.start(config: config, logger: logger)
    logger.info("call-booking listening", metadata: ["port": "\(app.port ?? config.port)"])
    await app.runUntilSignalled()
} catch {
    logger.critical("could not start: \(error)")
    exit(1)
}
