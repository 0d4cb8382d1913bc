extension Migration {
    /// What the call lifecycle sent, or decided not to send, through Trigger.dev: one row per
    /// delivery, keyed by the idempotency key Trigger.dev also gets (`Reminder.idempotencyKey`,
    /// `FollowUpPayload.idempotencyKey`).
    ///
    /// A reminder row is `planned` in the transaction that books, moves or reassigns its call,
    /// together with its `reminder.trigger` job; the job sets `triggered` with the run id (the
    /// id is what cancelling needs), or `skipped` (no API key, the call had started) or
    /// `superseded` (the call no longer has that reminder). Cancelling the call sets
    /// `cancelled` in its own transaction and enqueues `reminder.cancel` for a row that has a
    /// run. Follow-ups (`follow_up`, `recording`) take the same path.
    static let v7NotificationDeliveries = Migration(
        version: 7, name: "trigger deliveries",
        sql: #"""
            CREATE TABLE calls.trigger_deliveries (
                idempotency_key text PRIMARY KEY,
                call_id uuid NOT NULL REFERENCES calls.calls (id),
                kind text NOT NULL CHECK (kind IN ('reminder', 'follow_up', 'recording')),
                -- Reminders: the reminder's own key (`Reminder.idempotencyKey`), the same as
                -- idempotency_key unless the reminder was cancelled and wanted again (a
                -- reassignment back): Trigger.dev keeps a cancelled run's key, so that delivery
                -- gets '<key>:<generation>'. Follow-ups: NULL.
                reminder_key text,
                -- Reminders: 'customer' or 'expert-<id>', and the offset; follow-ups: NULL.
                recipient text,
                minutes_before integer CHECK (minutes_before > 0),
                send_at timestamptz NOT NULL,
                run_id text,
                status text NOT NULL DEFAULT 'planned'
                    CHECK (status IN ('planned', 'triggered', 'skipped', 'cancelled', 'superseded')),
                -- Why a delivery was skipped or superseded, for operators.
                detail text,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX trigger_deliveries_call ON calls.trigger_deliveries (call_id, kind);
            -- At most one delivery of a reminder is on its way at a time.
            CREATE UNIQUE INDEX trigger_deliveries_live_reminder ON calls.trigger_deliveries (reminder_key)
                WHERE status IN ('planned', 'triggered');
            CREATE TRIGGER trigger_deliveries_touch_updated_at BEFORE UPDATE ON calls.trigger_deliveries
                FOR EACH ROW EXECUTE FUNCTION calls.touch_updated_at();
            """#)
}
