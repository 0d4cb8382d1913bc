extension Migration {
    /// What a customer should prepare: an expert may write their own text, and each call keeps
    /// the text it was booked with (resolved by `PreparationGuide`), so a later edit to the
    /// expert or to the defaults does not change what a booked customer was told. Calls booked
    /// before this version have none (empty). `IF NOT EXISTS`: the expert's column is also part
    /// of the expert profile's own change, whichever is applied first.
    static let v12PreparationInstructions = Migration(
        version: 12, name: "preparation instructions",
        sql: #"""
            ALTER TABLE calls.experts ADD COLUMN IF NOT EXISTS preparation_instructions text NOT NULL DEFAULT '';
            ALTER TABLE calls.calls ADD COLUMN IF NOT EXISTS preparation_instructions text NOT NULL DEFAULT '';
            """#)
}
