extension Migration {
    /// `request_id` is an idempotency key of one customer, not of the whole service: two
    /// customers whose apps both send "booking-1" get two bookings, and neither learns that the
    /// other's exists. Unclaimed bookings (no customer id yet) share one scope, the empty id.
    static let v8RequestIDPerCustomer = Migration(
        version: 8, name: "request id per customer",
        sql: #"""
            ALTER TABLE calls.calls DROP CONSTRAINT calls_request_id_key;
            CREATE UNIQUE INDEX calls_customer_request_id_key
                ON calls.calls (coalesce(customer_user_id, ''), request_id) WHERE request_id IS NOT NULL;
            """#)
}
