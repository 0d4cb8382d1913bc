import BookingDomain
import Foundation
import Testing

@testable import CallBookingApp

@Suite struct AppConfigTests {
    /// A throwaway public key: the configuration parses CLERK_JWT_KEY at start-up.
    static let publicKey = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArteH1sOrOQGGgnrWBKMr
        BqBgWBWk5ai63UvdsINFNurD9KXR2WXA9VD/nRik+4XXHyXplFW/V+i27uArxnpi
        DsA3r9/lBAImnZ8NeQTykIEG2YATnnF2Yaow+3sQVf2zewTWL70Js1CPWsP0Odqm
        2Dcr8JAj2wMP7RzMl5LJ9n07IUkRfAYiWjOu6deMvdau0oK8TkpANKk2VvZ+GrXo
        LQ+0uwfBYRLc+eXyQUAiMi5aEAbjM3WhxqkFtTFBdJxuOvT2tGH2U0/LxubS3mkr
        HwBrg9+bIBP3qK1la4nvSvL24zqZFxTuQvBpT9jYeUcrJ4xx2b0lNjkzeoWy+EKM
        QQIDAQAB
        -----END PUBLIC KEY-----
        """
    static let minimal = [
        "DATABASE_URL": "postgresql://localhost/callbooking", "CLERK_JWT_KEY": publicKey,
        "CALENDLY_API_KEY": "pat", "CALENDLY_WEBHOOK_SECRET": "whsec",
        "STREAM_API_KEY": "stream-key", "STREAM_SECRET_KEY": "stream-secret",
    ]

    @Test func aMissingCalendlySecretIsAnErrorNamingIt() {
        for variable in ["CALENDLY_API_KEY", "CALENDLY_WEBHOOK_SECRET"] {
            var environment = Self.minimal
            environment[variable] = nil
            do {
                _ = try AppConfig(environment: environment)
                Issue.record("expected an error for \(variable)")
            } catch {
                #expect(error.variable == variable)
                #expect(error.description == "\(variable): is not set")
            }
        }
    }

    @Test func startingWithoutAnyClerkKeyIsAnErrorNamingIt() {
        do {
            var environment = Self.minimal
            environment["CLERK_JWT_KEY"] = nil
            _ = try AppConfig(environment: environment)
            Issue.record("expected an error")
        } catch {
            #expect(error.variable.hasPrefix("CLERK_"))
        }
    }

    @Test func aMissingDatabaseURLIsAnErrorNamingIt() {
        do {
            var environment = Self.minimal
            environment["DATABASE_URL"] = nil
            _ = try AppConfig(environment: environment)
            Issue.record("expected an error")
        } catch {
            #expect(error.variable == "DATABASE_URL")
        }
    }

    @Test func defaultsFollowTheContract() throws {
        let config = try AppConfig(environment: Self.minimal)
        #expect(config.port == 3003)
        #expect(config.shutdownGrace == .seconds(5))
    }

    @Test func aMalformedValueNamesItsVariable() {
        #expect(throws: AppConfig.Error.self) { try AppConfig(environment: Self.minimal.merging(["PORT": "eighty"]) { $1 }) }
        do {
            _ = try AppConfig(environment: Self.minimal.merging(["SHUTDOWN_GRACE_SECONDS": "-1"]) { $1 })
            Issue.record("expected an error")
        } catch {
            #expect(error.variable == "SHUTDOWN_GRACE_SECONDS")
        }
    }
}

extension AppConfigTests {
    @Test func theLifecycleSettingsDefaultToTheContractsAndABadOneStopsStartUp() throws {
        let config = try AppConfig(environment: Self.minimal)
        #expect(config.product.lifecycle == LifecycleSettings(reminderOffsetsMinutes: [1440, 15], noShowGrace: 600, callEndGrace: 3600))
        #expect(config.product.holdDuration == .seconds(600))
        #expect(!config.triggerDev.isEnabled)
        var environment = Self.minimal
        environment["REMINDER_OFFSETS_MINUTES"] = "1440,soon"
        do {
            _ = try AppConfig(environment: environment)
            Issue.record("expected an error for REMINDER_OFFSETS_MINUTES")
        } catch {
            #expect(error.variable == "REMINDER_OFFSETS_MINUTES")
        }
    }
}

extension AppConfigTests {
    @Test func theEdgeLimitsDefaultToTheDocumentedValues() throws {
        let config = try AppConfig(environment: Self.minimal)
        #expect(config.connectionLimits.headerTimeout == .seconds(10))
        #expect(config.connectionLimits.idleTimeout == .seconds(120))
        #expect(config.connectionLimits.bodyTimeout == .seconds(30))
        #expect(config.connectionLimits.maxConnections == 10_000)
        #expect(config.connectionLimits.maxConnectionsPerPeer == 100)
        #expect(config.watchLimits.total == 1000)
        #expect(config.watchLimits.perConnection == 16)
        #expect(config.callWatchLimits.total == 1000)
        #expect(config.callWatchLimits.perCaller == 10)
        #expect(config.eventStreamHeartbeat == .seconds(15))
    }

    @Test func edgeLimitsAreReadAndABadOneNamesItsVariable() throws {
        let config = try AppConfig(environment: Self.minimal.merging([
            "HEADER_TIMEOUT_SECONDS": "2", "IDLE_TIMEOUT_SECONDS": "30", "BODY_TIMEOUT_SECONDS": "5",
            "MAX_CONNECTIONS": "50", "MAX_CONNECTIONS_PER_PEER": "5", "MAX_WATCH_STREAMS": "7",
            "MAX_WATCH_STREAMS_PER_CONNECTION": "3", "EVENT_LOOP_THREADS": "1", "MAX_WATCH_CALL_STREAMS": "9",
            "MAX_WATCH_CALL_STREAMS_PER_CALLER": "2", "SSE_HEARTBEAT_SECONDS": "4",
        ]) { $1 })
        #expect(config.connectionLimits.headerTimeout == .seconds(2))
        #expect(config.connectionLimits.idleTimeout == .seconds(30))
        #expect(config.connectionLimits.bodyTimeout == .seconds(5))
        #expect(config.connectionLimits.maxConnections == 50)
        #expect(config.connectionLimits.maxConnectionsPerPeer == 5)
        #expect(config.watchLimits.total == 7)
        #expect(config.watchLimits.perConnection == 3)
        #expect(config.eventLoopThreads == 1)
        #expect(config.callWatchLimits.total == 9)
        #expect(config.callWatchLimits.perCaller == 2)
        #expect(config.eventStreamHeartbeat == .seconds(4))
        for variable in [
            "HEADER_TIMEOUT_SECONDS", "IDLE_TIMEOUT_SECONDS", "BODY_TIMEOUT_SECONDS", "MAX_CONNECTIONS",
            "MAX_CONNECTIONS_PER_PEER", "MAX_WATCH_STREAMS", "MAX_WATCH_STREAMS_PER_CONNECTION", "EVENT_LOOP_THREADS",
            "MAX_WATCH_CALL_STREAMS", "MAX_WATCH_CALL_STREAMS_PER_CALLER", "SSE_HEARTBEAT_SECONDS",
        ] {
            do {
                _ = try AppConfig(environment: Self.minimal.merging([variable: "-3"]) { $1 })
                Issue.record("expected an error for \(variable)")
            } catch {
                #expect(error.variable == variable)
            }
        }
    }
}

extension AppConfigTests {
    /// A setting the contract names but this build does not implement stops the start, named.
    @Test(arguments: AppConfig.notYetImplemented.map { $0.variable })
    func aSettingNotImplementedYetStopsTheStart(variable: String) {
        do {
            _ = try AppConfig(environment: Self.minimal.merging([variable: "x"]) { $1 })
            Issue.record("\(variable) was accepted")
        } catch {
            #expect(error.variable == variable)
        }
        #expect(throws: Never.self) { try AppConfig(environment: Self.minimal.merging([variable: ""]) { $1 }) }
    }

    @Test func theProductSettingsAreReadAndCheckedHere() throws {
        let config = try AppConfig(environment: Self.minimal.merging([
            "REMINDER_OFFSETS_MINUTES": " 60 , 2880,5 ", "NO_SHOW_GRACE_SECONDS": "0", "HOLD_MINUTES": "15",
            "CALL_END_GRACE_SECONDS": "900",
        ]) { $1 })
        #expect(
            config.product.lifecycle
                == LifecycleSettings(reminderOffsetsMinutes: [2880, 60, 5], noShowGrace: 0, callEndGrace: 900))
        #expect(config.product.holdDuration == .seconds(900))
        #expect(config.product.holdsPerCustomer == 3)
        #expect(config.product.bookingsPerMinute == 60)
        #expect(try AppConfig(environment: Self.minimal.merging(["RATE_LIMIT_PER_MINUTE": "5"]) { $1 })
            .product.bookingsPerMinute == 5)
        for (variable, value) in [
            ("REMINDER_OFFSETS_MINUTES", "15,15"), ("REMINDER_OFFSETS_MINUTES", "43201"), ("REMINDER_OFFSETS_MINUTES", "1440,,15"),
            ("NO_SHOW_GRACE_SECONDS", "-1"), ("NO_SHOW_GRACE_SECONDS", "86401"), ("HOLD_MINUTES", "0"),
            ("HOLDS_PER_CUSTOMER", "0"), ("HOLDS_PER_CUSTOMER", "many"), ("RATE_LIMIT_PER_MINUTE", "0"),
            ("RATE_LIMIT_PER_MINUTE", "100001"), ("CALL_END_GRACE_SECONDS", "-5"), ("CALL_END_GRACE_SECONDS", "604801"),
            ("CALL_END_GRACE_SECONDS", "an hour"),
        ] {
            do {
                _ = try AppConfig(environment: Self.minimal.merging([variable: value]) { $1 })
                Issue.record("\(variable)=\(value) was accepted")
            } catch {
                #expect(error.variable == variable)
            }
        }
    }
}


extension AppConfigTests {
    @Test func retentionAndTheBookingLinkSecretDefaultAndRefuseBadValues() throws {
        let defaults = try AppConfig(environment: Self.minimal)
        #expect(defaults.retentionDays == 30)
        #expect(defaults.bookingLinkSecret == nil)
        let secret = String(repeating: "k", count: 32)
        // Spaces around a number are fine, as for every numeric setting.
        let set = try AppConfig(environment: Self.minimal.merging(["RETENTION_DAYS": " 2 ", "BOOKING_LINK_SECRET": secret]) { $1 })
        #expect(set.retentionDays == 2)
        #expect(set.bookingLinkSecret == Array(secret.utf8))
        for (variable, value) in [
            ("RETENTION_DAYS", "1"), ("RETENTION_DAYS", "3651"), ("BOOKING_LINK_SECRET", String(repeating: "k", count: 31)),
        ] {
            do {
                _ = try AppConfig(environment: Self.minimal.merging([variable: value]) { $1 })
                Issue.record("\(variable)=\(value) was accepted")
            } catch {
                #expect(error.variable == variable)
            }
        }
    }

    /// The seed's deployment names Clerk by its two keys and sets no JWT key or JWKS URL: the
    /// server finds the Backend API's JWKS from them.
    @Test func theSeedsClerkKeysAloneAreAccepted() throws {
        var environment = Self.minimal
        environment["CLERK_JWT_KEY"] = nil
        environment["CLERK_PUBLISHABLE_KEY"] = "pk_test_" + Data("happy-otter-12.clerk.accounts.dev$".utf8).base64EncodedString()
        environment["CLERK_SECRET_KEY"] = "sk_test_seed"
        let config = try AppConfig(environment: environment)
        #expect(config.clerk.jwksURL?.absoluteString == "https://api.clerk.com/v1/jwks")
        #expect(config.clerk.jwksHeaders == ["Authorization": "Bearer sk_test_seed"])

        environment["CLERK_PUBLISHABLE_KEY"] = "pk_test_not-base64"
        do {
            _ = try AppConfig(environment: environment)
            Issue.record("a malformed CLERK_PUBLISHABLE_KEY was accepted")
        } catch {
            #expect(error.variable == "CLERK_PUBLISHABLE_KEY")
        }
    }
}
