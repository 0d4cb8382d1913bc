import Testing

@testable import CallBookingApp

/// What the log handler is told to redact, read straight from the environment.
@Suite struct SecretValuesTests {
    @Test func secretVariablesAndTheDatabasePasswordAreCollected() {
        let environment = [
            "CLERK_SECRET_KEY": "sk_test_abc", "CALENDLY_WEBHOOK_SECRET": "whsec", "METRICS_TOKEN": "",
            "DATABASE_URL": "postgresql://booking:p%40ss%3Aword@db.internal:5432/calls?sslmode=require",
            "PORT": "3003",
        ]
        #expect(
            Set(AppConfig.secretValues(in: environment))
                == ["sk_test_abc", "whsec", "p%40ss%3Aword", "p@ss:word"])
    }

    @Test func aURLWithoutAPasswordHasNone() {
        #expect(AppConfig.passwords(inURL: "postgresql://booking@localhost/calls").isEmpty)
        #expect(AppConfig.passwords(inURL: "postgresql:///calls?host=/tmp").isEmpty)
        #expect(AppConfig.passwords(inURL: "postgresql://u:secret@h/d") == ["secret"])
    }
}
