extension Migration {
    /// An expert's topics (keywords the matcher prefers for calls about them), empty for
    /// existing experts, and the bound of the preparation text version 12 added. The limits
    /// repeat `ExpertRules` so that no writer stores more than the API accepts.
    static let v14ExpertTopicsAndPreparation = Migration(
        version: 14, name: "expert topics and preparation bound",
        sql: """
            ALTER TABLE calls.experts
                ADD COLUMN topics text[] NOT NULL DEFAULT '{}'
                    CONSTRAINT experts_topics_bounded CHECK (cardinality(topics) <= 50),
                ADD CONSTRAINT experts_preparation_bounded CHECK (char_length(preparation_instructions) <= 4000);
            """)
}
