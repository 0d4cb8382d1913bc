// swift-tools-version: 6.0
import PackageDescription

/// Every target compiles in Swift 6 language mode with the same upcoming features, so that
/// `any` is always spelled out and imports are internal unless a target re-exports on purpose.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The per-request runtime (HTTP/2 session, RPC dispatch, protobuf) skips dynamic exclusivity
/// checks in release builds: perf put them at 10% of a Health/Check's server CPU, spent on the
/// class properties every frame and call touches. Debug builds, which run the tests, keep
/// them, and the compiler's static checks apply everywhere.
let hotPathSettings: [SwiftSetting] = strictSettings + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "call-booking",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "call-booking", targets: ["CallBooking"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Metrics API (swift-metrics) and its Prometheus backend, exact versions of the mirror.
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
    ],
    targets: [
        // System libraries, found through pkg-config (Debian's -dev packages).
        .systemLibrary(
            name: "CNGHTTP2", pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(
            name: "CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        // Protobuf wire format and the proto3 JSON mapping, written by hand.
        .target(
            name: "ProtoWire",
            dependencies: ["CivilCalendar", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: hotPathSettings),
        // The messages of loop.callbooking.v1, grpc.health.v1 and grpc.reflection.v1, written
        // against ProtoWire.
        .target(name: "BookingAPI", dependencies: ["ProtoWire"], swiftSettings: strictSettings),
        // proto/ compiled to FileDescriptorProtos by tools/gen-descriptors (generated, checked in).
        .target(name: "ProtoDescriptors", swiftSettings: strictSettings),
        // Server reflection's answers: the descriptors indexed by file, symbol and extension.
        .target(name: "ServerReflection", dependencies: ["BookingAPI", "ProtoWire"], swiftSettings: strictSettings),

        // TLS on the system OpenSSL (libssl, beside the libcrypto `Crypto` uses): certificate
        // and key from PEM files, reloadable, and the NIO handler that runs an SSL over memory BIOs.
        .target(
            name: "TLS",
            dependencies: [
                "COpenSSL", "Crypto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: hotPathSettings),
        // HTTP/1.1 (NIOHTTP1) and HTTP/2 (nghttp2) on one port, in cleartext or behind TLS;
        // knows HTTP, not RPC.
        .target(
            name: "Transport",
            dependencies: [
                "CNGHTTP2", "TLS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: hotPathSettings),
        // RPC semantics over Transport: router, status, deadlines, gRPC, gRPC-Web, Connect and
        // REST framing, CORS.
        .target(
            name: "RPC",
            dependencies: [
                "Transport", "ProtoWire", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: hotPathSettings),

        // Calls, experts, availability and matching: Foundation only, time passed in, so that
        // every rule is testable without a database, a socket or a clock.
        .target(name: "CivilCalendar", swiftSettings: strictSettings),
        .target(name: "BookingDomain", dependencies: ["CivilCalendar"], swiftSettings: strictSettings),
        // PostgreSQL through libpq: connection, pool, migrations, repositories. Blocking libpq
        // calls run on the pool's own NIOThreadPool, never on an event loop.
        .target(
            name: "BookingStore",
            dependencies: [
                "CLibPQ", "BookingDomain", "CivilCalendar", "ProtoWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),

        // SHA-256, HMAC, RS256 verification and HS256 signing on the system OpenSSL: one crypto
        // stack for the whole service, the same library libpq already links for TLS.
        .target(name: "Crypto", dependencies: ["COpenSSL"], swiftSettings: strictSettings),
        // The `HTTPClient` seam every provider client calls through (URLSession in the app,
        // fakes or loopback servers in tests), and the circuit breaker that wraps it.
        .target(
            name: "OutboundHTTP",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        // Clerk session tokens: configuration, JWKS cache, verification. Networkless with a PEM
        // key; JWKS goes through the `HTTPClient` seam so tests need no network.
        .target(name: "Clerk", dependencies: ["Crypto", "OutboundHTTP"], swiftSettings: strictSettings),
        // Calendly webhooks (signature, wire types, delivery keys) and the API v2 client.
        .target(name: "Calendly", dependencies: ["Crypto", "OutboundHTTP"], swiftSettings: strictSettings),
        // Trigger.dev's task-trigger and run-cancel API (reminders, follow-ups) and the
        // lifecycle settings (`TRIGGER_*`, `REMINDER_OFFSETS_MINUTES`, `NO_SHOW_GRACE_SECONDS`).
        .target(name: "TriggerDev", dependencies: ["OutboundHTTP"], swiftSettings: strictSettings),
        // Stream Video: call tokens, webhook verification and events, the REST client (rooms,
        // recordings). Named StreamVideo, not Stream, so it never shadows Foundation.Stream.
        .target(name: "StreamVideo", dependencies: ["Crypto", "OutboundHTTP", "ProtoWire"], swiftSettings: strictSettings),

        // Operations: JSON log lines with secrets redacted, the service's metric names, and the
        // Prometheus backend of swift-metrics with its text exposition.
        .target(
            name: "Observability",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings),

        // Where messages, domain and infrastructure meet: services, config, wiring.
        .target(
            name: "CallBookingApp",
            dependencies: [
                "RPC", "Transport", "BookingAPI", "BookingDomain", "BookingStore", "Clerk", "Calendly",
                "OutboundHTTP", "ProtoWire", "TriggerDev", "StreamVideo",
                "Observability", "Crypto", "ProtoDescriptors", "ServerReflection", "TLS", "OpsPage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings),
        // The operator page's HTML, CSS and JavaScript modules (Sources/OpsPage/files), compiled
        // into the binary as string literals by the EmbedOpsPage plugin: the release binary alone
        // serves them, wherever it is copied.
        .target(
            name: "OpsPage", exclude: ["files"], swiftSettings: strictSettings, plugins: ["EmbedOpsPage"]),
        .executableTarget(name: "OpsPageEmbedder", swiftSettings: strictSettings),
        .plugin(name: "EmbedOpsPage", capability: .buildTool(), dependencies: ["OpsPageEmbedder"]),
        // Linked with jemalloc (Debian libjemalloc-dev), as nghttpd is: handler tasks free on
        // one thread what the event loop allocated on another, and glibc's arenas contend there.
        .executableTarget(
            name: "CallBooking", dependencies: ["CallBookingApp", "Observability"], swiftSettings: strictSettings,
            linkerSettings: [.linkedLibrary("jemalloc")]),

        // Test tool: decodes and re-encodes messages so Tests/Interop can compare them
        // byte for byte with Google's protobuf library.
        .executableTarget(
            name: "ProtoRoundTrip", dependencies: ["BookingAPI", "ProtoWire"],
            swiftSettings: strictSettings),

        .testTarget(name: "ProtoWireTests", dependencies: ["ProtoWire", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "BookingDomainTests", dependencies: ["BookingDomain", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "BookingAPITests", dependencies: ["BookingAPI", "ProtoWire"], swiftSettings: strictSettings),
        .testTarget(
            name: "ServerReflectionTests", dependencies: ["ServerReflection", "ProtoDescriptors", "BookingAPI", "ProtoWire"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "TransportTests",
            dependencies: [
                "Transport", "CNGHTTP2", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "RPCTests",
            dependencies: [
                "RPC", "Transport", "ProtoWire", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "BookingStoreTests",
            dependencies: [
                "BookingStore", "BookingDomain", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "TLSTests",
            dependencies: [
                "TLS", "COpenSSL", "TestSupport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "OutboundHTTPTests",
            dependencies: ["OutboundHTTP", "TestSupport", .product(name: "MetricsTestKit", package: "swift-metrics")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ObservabilityTests",
            dependencies: [
                "Observability", .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ClerkTests", dependencies: ["Clerk", "Crypto", "OutboundHTTP", "TestSupport", "TestTokens"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CalendlyTests", dependencies: ["Calendly", "OutboundHTTP", "Crypto", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "StreamVideoTests", dependencies: ["StreamVideo", "OutboundHTTP", "Crypto", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "TriggerDevTests", dependencies: ["TriggerDev", "OutboundHTTP", "TestSupport"], swiftSettings: strictSettings),
        // Test support shared by the test targets: providers at the network boundary (in process,
        // or on a loopback socket) that record what they got, hex, fixed times, throwaway certificates.
        .target(
            name: "TestSupport", dependencies: ["OutboundHTTP", "BookingStore"], path: "Tests/Support/TestSupport",
            swiftSettings: strictSettings),
        // Test support: throwaway RSA keys and a token minter for Clerk session tokens, on
        // COpenSSL directly: signing needs EVP_DigestSign, which Crypto leaves out.
        .target(
            name: "TestTokens", dependencies: ["Crypto", "COpenSSL"], path: "Tests/Support/TestTokens",
            swiftSettings: strictSettings),
        .testTarget(
            name: "CallBookingAppTests",
            dependencies: [
                "CallBookingApp", "RPC", "BookingAPI", "BookingDomain", "BookingStore", "Clerk", "ProtoWire",
                "Calendly", "OutboundHTTP", "Transport", .product(name: "NIOCore", package: "swift-nio"),
                "StreamVideo", "TestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),

        // Fuzzing (tools/fuzz): one libFuzzer target per input an unauthenticated client can
        // send. Built with -sanitize=fuzzer,address -DFUZZING, each is a libFuzzer binary; in
        // every other build it replays the corpus and regression files it is given.
        .systemLibrary(name: "CLibFuzzer", path: "Tests/Fuzz/CLibFuzzer"),
        .target(
            name: "FuzzSupport",
            dependencies: [
                "CLibFuzzer", "BookingAPI", "ProtoWire", .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            path: "Tests/Fuzz/FuzzSupport",
            swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzProtobuf",
            dependencies: ["FuzzSupport", "ProtoWire", .product(name: "NIOCore", package: "swift-nio")],
            path: "Tests/Fuzz/FuzzProtobuf", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzProtoJSON", dependencies: ["FuzzSupport", "ProtoWire"], path: "Tests/Fuzz/FuzzProtoJSON",
            swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzCalendlyWebhook", dependencies: ["FuzzSupport", "Calendly", "Crypto"],
            path: "Tests/Fuzz/FuzzCalendlyWebhook", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzStreamWebhook",
            dependencies: ["FuzzSupport", "StreamVideo", "BookingDomain", "RPC", .product(name: "NIOCore", package: "swift-nio")],
            path: "Tests/Fuzz/FuzzStreamWebhook", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzSessionToken", dependencies: ["FuzzSupport", "Clerk", "Crypto", "OutboundHTTP", "TestTokens"],
            path: "Tests/Fuzz/FuzzSessionToken", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzHTTPConnection",
            dependencies: [
                "FuzzSupport", "Transport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Fuzz/FuzzHTTPConnection", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzTLSConnection",
            dependencies: [
                "FuzzSupport", "TLS", "Transport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Fuzz/FuzzTLSConnection", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzRPCRequest",
            dependencies: [
                "FuzzSupport", "RPC", "Transport", "BookingAPI", "ProtoDescriptors", "ServerReflection",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Fuzz/FuzzRPCRequest", swiftSettings: strictSettings),
    ]
)
