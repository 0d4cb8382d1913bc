extension Migration {
    /// Every committed insert or update of a call is announced on `call_changed` with the call's
    /// id as payload, by the database itself: writers on every replica, and writers that do not
    /// know about watchers, are all covered (`CallChangeFeed` listens). PostgreSQL delivers a
    /// notification at commit, never for a rolled-back change, and folds identical ones of one
    /// transaction into one.
    static let v11CallChangeNotifications = Migration(
        version: 11, name: "call change notifications",
        sql: #"""
            CREATE FUNCTION calls.notify_call_changed() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('call_changed', NEW.id::text);
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER calls_notify_changed AFTER INSERT OR UPDATE ON calls.calls
                FOR EACH ROW EXECUTE FUNCTION calls.notify_call_changed();
            """#)
}
