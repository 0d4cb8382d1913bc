extension Migration {
    /// An expert's topics (keywords the matcher prefers for calls about them) and preparation
    /// text, both empty for existing experts. The limits repeat `ExpertRules` so that no
    /// writer stores more than the API accepts.
    static let v13ExpertTopicsAndPreparation = Migration(
        version: 13, name: "expert topics and preparation instructions",
        sql: """
            ALTER TABLE calls.experts
                ADD COLUMN topics text[] NOT NULL DEFAULT '{}'
                    CONSTRAINT experts_topics_bounded CHECK (cardinality(topics) <= 50),
                ADD COLUMN preparation_instructions text NOT NULL DEFAULT ''
                    CONSTRAINT experts_preparation_bounded CHECK (char_length(preparation_instructions) <= 4000);
            """)
}
