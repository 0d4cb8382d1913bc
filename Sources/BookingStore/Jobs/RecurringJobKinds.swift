/// The Calendly availability sync of every linked expert, one round per
/// `CALENDLY_SYNC_INTERVAL_SECONDS` (a recurring job).
public enum CalendlySyncRoundJob: JobKind {
    public static let name = "calendly.sync_round"
    public typealias Payload = NoPayload
}

/// Pruning what `Retention` lists, hourly (a recurring job).
public enum RetentionRoundJob: JobKind {
    public static let name = "retention.prune"
    public typealias Payload = NoPayload
}
