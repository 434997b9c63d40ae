// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "bellwether",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bellwether", targets: ["bellwether"]),
        .library(name: "BellwetherCore", targets: ["BellwetherCore"]),
        // What the fuzz targets (Tests/Fuzz) exercise: every parser that reads bytes off the network.
        .library(name: "BellwetherParsers", targets: ["BellwetherCore", "BellwetherAPI", "BellwetherTelemetry", "BellwetherOpAMP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // Pure core: policy, rollout state machine, cohorts, statistics, judge. No I/O.
        .target(
            name: "BellwetherCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // SQLite persistence (GRDB): rollouts, transitions and their audit events, agents.
        .target(
            name: "BellwetherStore",
            dependencies: ["BellwetherCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // The control loop: drives every active rollout through its steps on an injected clock,
        // from the store's state alone, so a restart resumes where the last commit left it.
        .target(
            name: "BellwetherController",
            dependencies: [
                "BellwetherCore", "BellwetherStore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The system zlib, for OTLP request bodies sent with `Content-Encoding: gzip` or `deflate`.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // OTLP decoding (protobuf and JSON, compressed or not) and its conversion into per-agent
        // observations: cumulative counters and histograms, classified span counts, exemplars.
        // Sources/BellwetherTelemetry/Generated is protoc output (scripts/generate-protos).
        .target(
            name: "BellwetherTelemetry",
            dependencies: ["BellwetherCore", "CZlib", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: swiftSettings
        ),
        // Outbound HTTP (AsyncHTTPClient): one client per process, its timeouts and shutdown, and
        // transport failures as typed errors (refused, timed out, reset) whatever the peer does.
        .target(
            name: "BellwetherHTTPClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Prometheus metric source: PromQL range queries over raw cumulative series, for fleets
        // whose telemetry goes through an OpenTelemetry Collector (docs/scale.md).
        .target(
            name: "BellwetherPrometheus",
            dependencies: ["BellwetherCore", "BellwetherController", "BellwetherHTTPClient", .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: swiftSettings
        ),
        // OpAMP: the protobuf messages (generated from proto/opamp, committed), body decoding, and the
        // server's protocol state as values: sessions, full-state requests, version offers.
        .target(
            name: "BellwetherOpAMP",
            dependencies: ["BellwetherCore", "BellwetherTelemetry", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: swiftSettings
        ),
        // Notifications of what rollouts do: an outbox fed from the audit log, signed JSON and
        // Slack webhooks and Alertmanager alerts, delivered with retries off the control loop.
        .target(
            name: "BellwetherNotifications",
            dependencies: [
                "BellwetherCore", "BellwetherStore", "BellwetherHTTPClient",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP API's request and response bodies: plain Codable values shared by the server and
        // the command-line client, so both sides agree on the wire format by construction.
        .target(
            name: "BellwetherAPI",
            dependencies: ["BellwetherCore"],
            swiftSettings: swiftSettings
        ),
        // The controller's HTTP side (Hummingbird): REST API, heartbeat protocol, fleet registry.
        .target(
            name: "BellwetherServer",
            dependencies: [
                "BellwetherCore", "BellwetherStore", "BellwetherAPI", "BellwetherController", "BellwetherTelemetry", "BellwetherPrometheus", "BellwetherOpAMP",
                "BellwetherNotifications", "BellwetherHTTPClient",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The simulated fleet of `bellwether demo` and `bellwether sim`: a pure, seeded model of
        // each agent and thin adapters speaking heartbeats and OTLP/HTTP protobuf (AsyncHTTPClient), or
        // serving Prometheus' text format as a Collector would (Hummingbird).
        .target(
            name: "BellwetherFleetSim",
            dependencies: [
                "BellwetherCore", "BellwetherAPI", "BellwetherTelemetry", "BellwetherScenarios", "BellwetherPrometheus", "BellwetherHTTPClient",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // The command-line surface; command bodies call library code and do no work themselves.
        .target(
            name: "BellwetherCLI",
            dependencies: [
                "BellwetherCore", "BellwetherStore", "BellwetherAPI", "BellwetherServer", "BellwetherFleetSim", "BellwetherHTTPClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "bellwether", dependencies: ["BellwetherCLI", "BellwetherTestSupport"], swiftSettings: swiftSettings),
        // Seeded simulated fleets and the reference judges the decision benchmark compares against. Pure.
        .target(name: "BellwetherScenarios", dependencies: ["BellwetherCore"], swiftSettings: swiftSettings),
        // The decision-quality and replay-speed benchmark (docs/decision-benchmark.md).
        .executableTarget(
            name: "bellwether-bench",
            dependencies: [
                "BellwetherCore", "BellwetherScenarios", "BellwetherTelemetry",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "BellwetherTestSupport",
            dependencies: [
                "CZlib", "BellwetherHTTPClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/BellwetherTestSupport", swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BellwetherHTTPClientTests",
            dependencies: [
                "BellwetherHTTPClient", "BellwetherTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "BellwetherCoreTests", dependencies: ["BellwetherCore"], swiftSettings: swiftSettings),
        .testTarget(name: "BellwetherScenariosTests", dependencies: ["BellwetherScenarios", "BellwetherCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BellwetherTelemetryTests",
            dependencies: [
                "BellwetherTelemetry", "BellwetherCore", "BellwetherTestSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BellwetherPrometheusTests",
            dependencies: [
                "BellwetherPrometheus", "BellwetherCore", "BellwetherController", "BellwetherTestSupport", "BellwetherHTTPClient",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BellwetherOpAMPTests",
            dependencies: ["BellwetherOpAMP", "BellwetherCore", "BellwetherTestSupport", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BellwetherFleetSimTests",
            dependencies: [
                "BellwetherFleetSim", "BellwetherCore", "BellwetherTelemetry", "BellwetherTestSupport", "BellwetherHTTPClient",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "BellwetherStoreTests", dependencies: ["BellwetherStore", "BellwetherTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BellwetherControllerTests",
            dependencies: [
                "BellwetherController",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BellwetherNotificationsTests",
            dependencies: [
                "BellwetherNotifications", "BellwetherCore", "BellwetherStore", "BellwetherTestSupport", "BellwetherHTTPClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BellwetherServerTests",
            dependencies: [
                "BellwetherServer", "BellwetherAPI", "BellwetherTelemetry", "BellwetherPrometheus", "BellwetherOpAMP", "BellwetherTestSupport",
                "BellwetherHTTPClient",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BellwetherCLITests",
            dependencies: ["BellwetherCLI", "BellwetherAPI", "BellwetherCore", "BellwetherStore", "BellwetherServer", "BellwetherHTTPClient", "BellwetherTestSupport"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
