/// One schema change, applied once per database in version order, inside its own transaction.
/// The SQL is a constant in the binary (no files to ship) and never interpolates values.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

extension Migration {
    /// Every migration, oldest first. Append only: an applied migration is never edited, a fix is
    /// a new version.
    public static let all: [Migration] = [
        .v1InitialSchema,
        .v2SchedulingRules,
        .v3WebhookDeliveries,
        .v4PeriodicJobs,
        .v5JobsAndVideo,
        .v6CallQuality,
        .v7NotificationDeliveries,
        .v8RequestIDPerCustomer,
        .v9CallerRate,
        .v10RetentionIndexes,
        .v11CallChangeNotifications,
        .v12PreparationInstructions,
        .v13OperationsLog,
        .v14ExpertTopicsAndPreparation,
        .v15HoldsCountTowardCaps,
        .v16OneScheduler,
        .v17FailedDeliveries,
    ]
}
