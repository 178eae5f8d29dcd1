// swift-tools-version: 6.1
// Open-CSMS: a multi-tenant Charging Station Management System.
// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let hummingbirdWebSocket = Target.Dependency.product(name: "HummingbirdWebSocket", package: "hummingbird-websocket")
// The OCPP endpoint builds its own HTTP/1 + WebSocket child channel (refusals need their own status
// codes before the upgrade), so it names the lower-level modules it uses.
let webSocketServerParts: [Target.Dependency] = [
    .product(name: "HummingbirdCore", package: "hummingbird"),
    .product(name: "WSCore", package: "swift-websocket"),
    .product(name: "WSCompression", package: "swift-websocket"),
    .product(name: "NIOWebSocket", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
    .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
    .product(name: "HTTPTypes", package: "swift-http-types"),
]

var targets: [Target] = [
    // C libraries: each wrapped by exactly one Swift module.
    .systemLibrary(name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
    .systemLibrary(
        name: "CHiredis", path: "Shared/CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
    .systemLibrary(
        name: "COpenSSL", path: "Shared/COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .systemLibrary(name: "CYAML", path: "Shared/CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
    .systemLibrary(
        name: "CCurl", path: "Shared/CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    // Typed wrappers over the variadic curl_easy_setopt/curl_easy_getinfo.
    .target(name: "CCurlShim", dependencies: ["CCurl"], path: "Shared/CCurlShim"),

    // Socket calls Swift cannot reach (SCM_RIGHTS, accept4, POLLRDHUP, SO_PEERCRED): connection hand-over.
    .target(name: "CSocketShim", path: "Shared/CSocketShim"),

    // Shared libraries.
    .target(name: "Common", dependencies: [logging], path: "Shared/Common", swiftSettings: swiftSettings),
    .target(
        name: "Postgres", dependencies: ["CLibPQ", "Common", logging, nioPosix, nioCore], path: "Shared/Postgres",
        swiftSettings: swiftSettings),
    .target(
        name: "Redis", dependencies: ["CHiredis", "Common", logging, nioPosix, nioCore], path: "Shared/Redis",
        swiftSettings: swiftSettings),
    .target(name: "YAML", dependencies: ["CYAML"], path: "Shared/YAML", swiftSettings: swiftSettings),
    .target(
        name: "HTTPClient", dependencies: ["CCurl", "CCurlShim", "Common", nioPosix], path: "Shared/HTTPClient",
        swiftSettings: swiftSettings),
    .target(name: "Config", dependencies: ["YAML"], path: "Shared/Config", swiftSettings: swiftSettings),
    .target(name: "Credentials", dependencies: ["COpenSSL"], path: "Shared/Credentials", swiftSettings: swiftSettings),
    // JSON values with exact integers and member order, and a strict parser (RFC 8259).
    .target(name: "JSON", dependencies: [], path: "Shared/JSON", swiftSettings: swiftSettings),
    // Identity: JWS/JWT (RS256, ES256) over OpenSSL, JWKs, OIDC relying-party pieces.
    .target(
        name: "Identity", dependencies: ["COpenSSL", "JSON", "Credentials", "HTTPClient", "Common", logging],
        path: "Shared/Identity", swiftSettings: swiftSettings),
    .target(name: "OCPPRPC", dependencies: ["JSON"], path: "Shared/OCPPRPC", swiftSettings: swiftSettings),
    // Wire schemas generated from the official OCA JSON schemas (scripts/generate-ocpp-schemas.sh).
    .target(name: "OCPP16", dependencies: ["OCPPRPC"], path: "Shared/OCPP16", swiftSettings: swiftSettings),
    .target(name: "OCPP201", dependencies: ["OCPPRPC"], path: "Shared/OCPP201", swiftSettings: swiftSettings),
    // TLS server contexts from PEM files (tenant and platform certificates), over SwiftNIO SSL.
    .target(
        name: "TLSSupport", dependencies: [.product(name: "NIOSSL", package: "swift-nio-ssl"), nioCore],
        path: "Shared/TLS", swiftSettings: swiftSettings),
    // Turning received socket descriptors into SwiftNIO channels (worker hand-overs, the router's
    // local connections).
    .target(name: "SocketAdoption", dependencies: [], path: "Shared/Adoption", swiftSettings: swiftSettings),
    .target(
        name: "Migrations", dependencies: ["Postgres", "Common", logging], path: "Shared/Migrations",
        swiftSettings: swiftSettings),

    // Edge router: peeks the tenant (Host/SNI) and passes each connection's descriptor to its worker.
    .target(
        name: "EdgeRouting", dependencies: ["CSocketShim", "Common", logging], path: "ControlPlane/EdgeRouting",
        swiftSettings: swiftSettings),
    // Control plane: a library with the logic and a thin executable.
    .target(
        name: "ControlPlaneCore",
        dependencies: [
            "Common", "Config", "Postgres", "Redis", "Migrations", "Credentials", "EdgeRouting", "TLSSupport",
            "SocketAdoption", "Identity", "HTTPClient", "JSON", logging, lifecycle, hummingbird,
            // The platform host served through the router: adopted channels, TLS.
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"), nioCore, nioPosix,
            // Supervisor: detach signals, Prometheus metrics.
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ],
        path: "ControlPlane/ControlPlaneCore", swiftSettings: swiftSettings),
    .executableTarget(
        name: "ControlPlaneMain", dependencies: ["ControlPlaneCore", "Config", argumentParser],
        path: "ControlPlane/Main",
        swiftSettings: swiftSettings),
    // The operator CLI (`open-csms`): a client of the platform API.
    .executableTarget(
        name: "OpenCSMSCLI", dependencies: ["HTTPClient", "Common", argumentParser], path: "ControlPlane/CLI",
        swiftSettings: swiftSettings),

    // Tenant worker: the version-neutral charging domain, one handler module per OCPP version, the
    // worker library with transport and REST, and a thin executable.
    .target(
        name: "ChargingDomain", dependencies: ["Postgres", "Redis", logging], path: "TenantWorker/ChargingDomain",
        swiftSettings: swiftSettings),
    .target(
        name: "OCPPHandlerKit", dependencies: ["ChargingDomain", "OCPPRPC", logging],
        path: "TenantWorker/OCPPHandlerKit", swiftSettings: swiftSettings),
    .target(
        name: "OCPP16Handlers", dependencies: ["OCPPHandlerKit", "ChargingDomain", "OCPPRPC", logging],
        path: "TenantWorker/OCPP16Handlers", swiftSettings: swiftSettings),
    .target(
        name: "OCPP201Handlers", dependencies: ["OCPPHandlerKit", "ChargingDomain", "OCPPRPC", logging],
        path: "TenantWorker/OCPP201Handlers", swiftSettings: swiftSettings),
    .target(
        name: "WorkerCore",
        dependencies: [
            "Common", "Config", "Postgres", "Redis", "Credentials", "OCPPRPC", "OCPP16", "OCPP201", "ChargingDomain",
            "OCPPHandlerKit", "OCPP16Handlers", "OCPP201Handlers", "CSocketShim", "TLSSupport", "SocketAdoption",
            "Identity", logging, lifecycle,
            hummingbird, hummingbirdWebSocket,
            .product(name: "NIOTLS", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ] + webSocketServerParts,
        path: "TenantWorker/WorkerCore", swiftSettings: swiftSettings),
    .executableTarget(
        name: "TenantWorkerMain", dependencies: ["WorkerCore", argumentParser], path: "TenantWorker/Main",
        swiftSettings: swiftSettings),

    // Benchmarks.
    .executableTarget(
        name: "PGInsertBench", dependencies: ["Postgres", argumentParser], path: "Benchmarks/PGInsertBench",
        swiftSettings: swiftSettings),

    // Tests.
    .target(name: "TestSupport", dependencies: [], path: "Tests/TestSupport", swiftSettings: swiftSettings),
    .target(
        name: "TestFixtures", dependencies: ["TestSupport", "Postgres", "Migrations", logging],
        path: "Tests/TestFixtures",
        swiftSettings: swiftSettings),
    .testTarget(
        name: "PostgresTests", dependencies: ["Postgres", "TestSupport"], path: "Tests/PostgresTests",
        swiftSettings: swiftSettings),
    .testTarget(
        name: "RedisTests", dependencies: ["Redis", "TestSupport"], path: "Tests/RedisTests",
        swiftSettings: swiftSettings),
    .testTarget(name: "YAMLTests", dependencies: ["YAML"], path: "Tests/YAMLTests", swiftSettings: swiftSettings),
    .testTarget(
        name: "ConfigTests", dependencies: ["Config", "TestSupport"], path: "Tests/ConfigTests",
        swiftSettings: swiftSettings),
    .testTarget(
        name: "TLSSupportTests", dependencies: ["TLSSupport", "TestSupport"], path: "Tests/TLSSupportTests",
        swiftSettings: swiftSettings),
    .testTarget(
        name: "IdentityTests", dependencies: ["Identity", "JSON", "HTTPClient", "TestSupport"],
        path: "Tests/IdentityTests",
        swiftSettings: swiftSettings),
    .testTarget(
        name: "CredentialsTests", dependencies: ["Credentials"], path: "Tests/CredentialsTests",
        swiftSettings: swiftSettings),
    .testTarget(
        name: "OCPPRPCTests", dependencies: ["OCPPRPC"], path: "Tests/OCPPRPCTests", swiftSettings: swiftSettings),
    .testTarget(
        name: "OCPPSchemaTests", dependencies: ["OCPPRPC", "OCPP16", "OCPP201"], path: "Tests/OCPPSchemaTests",
        swiftSettings: swiftSettings),
    .testTarget(
        name: "ChargingDomainTests",
        dependencies: ["ChargingDomain", "Postgres", "Redis", "TestSupport", "TestFixtures"],
        path: "Tests/ChargingDomainTests", swiftSettings: swiftSettings),
    .testTarget(
        name: "OCPPHandlerTests",
        dependencies: [
            "OCPP16Handlers", "OCPP201Handlers", "OCPPHandlerKit", "ChargingDomain", "OCPPRPC", "OCPP16", "OCPP201",
            "TestSupport", "TestFixtures",
        ],
        path: "Tests/OCPPHandlerTests", swiftSettings: swiftSettings),
    .testTarget(
        name: "TenancyTests", dependencies: ["Postgres", "Migrations", "TestSupport", "TestFixtures"],
        path: "Tests/TenancyTests", swiftSettings: swiftSettings),
    .testTarget(
        name: "EdgeRoutingTests", dependencies: ["EdgeRouting", "CSocketShim", "TestSupport", logging],
        path: "Tests/EdgeRoutingTests", swiftSettings: swiftSettings),
    .testTarget(
        name: "ControlPlaneTests", dependencies: ["ControlPlaneCore", "Common", "TestSupport", "TestFixtures"],
        path: "Tests/ControlPlaneTests",
        swiftSettings: swiftSettings),
    .testTarget(
        name: "WorkerTests",
        dependencies: [
            "WorkerCore", "Common", "Config", "Redis", "OCPPRPC", "CSocketShim", "TestSupport", "TestFixtures",
            "Identity", "JSON", .product(name: "NIOSSL", package: "swift-nio-ssl"), nioCore, nioPosix,
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ],
        path: "Tests/WorkerTests",
        swiftSettings: swiftSettings),
    .testTarget(
        name: "HTTPClientTests", dependencies: ["HTTPClient", "OpenCSMSCLI", "Common", hummingbird],
        path: "Tests/HTTPClientTests", swiftSettings: swiftSettings),
]

var products: [Product] = [
    .executable(name: "controlplane", targets: ["ControlPlaneMain"]),
    .executable(name: "tenant-worker", targets: ["TenantWorkerMain"]),
    .executable(name: "pg-insert-bench", targets: ["PGInsertBench"]),
    .executable(name: "open-csms", targets: ["OpenCSMSCLI"]),
]

// Developer convenience: CSMS_TARGETS=PostgresTests,Redis swift test builds only the named targets and
// the targets they depend on, so one part can be worked on while another does not compile yet.
if let only = Context.environment["CSMS_TARGETS"], !only.isEmpty {
    var keep = Set(only.split(separator: ",").map { String($0) })
    var changed = true
    while changed {
        changed = false
        for t in targets where keep.contains(t.name) {
            for d in t.dependencies {
                if case .byNameItem(let name, _) = d, !keep.contains(name) {
                    keep.insert(name)
                    changed = true
                }
                if case .targetItem(let name, _) = d, !keep.contains(name) {
                    keep.insert(name)
                    changed = true
                }
            }
        }
    }
    targets = targets.filter { keep.contains($0.name) }
    let productTargets = [
        "controlplane": "ControlPlaneMain", "tenant-worker": "TenantWorkerMain", "pg-insert-bench": "PGInsertBench",
        "open-csms": "OpenCSMSCLI",
    ]
    products = products.filter { keep.contains(productTargets[$0.name] ?? "") }
}

let package = Package(
    name: "open-csms",
    platforms: [.macOS(.v15)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: targets
)
