extension Migration {
    /// A delivery may end `failed`: Trigger.dev refused it for good, or its job ran out of
    /// attempts (`detail` says why). Like `skipped`, it is not on its way, so the one-live-
    /// delivery-per-reminder index leaves it out.
    static let v17FailedDeliveries = Migration(
        version: 17, name: "failed trigger deliveries",
        sql: """
            ALTER TABLE calls.trigger_deliveries
                DROP CONSTRAINT trigger_deliveries_status_check,
                ADD CONSTRAINT trigger_deliveries_status_check
                    CHECK (status IN ('planned', 'triggered', 'skipped', 'cancelled', 'superseded', 'failed'));
            """)
}
