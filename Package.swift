// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "chat",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chat-server", targets: ["ChatServer"]),
        .executable(name: "chat-tui", targets: ["ChatTUI"]),
        .executable(name: "chat-bench", targets: ["ChatBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // System shims: eventfd, accept4, wcwidth and friends that Glibc does not expose.
        .systemLibrary(name: "CSupport", path: "Sources/CSupport"),
        // ncursesw with the wide-character API switched on.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),

        // Pure IRC protocol model: messages, parser, serializer, framing, casemapping. No I/O.
        .target(name: "Shared", path: "Sources/Shared"),

        // Accounts, history, read markers: SQLite through GRDB, a storage thread that commits in groups.
        .target(
            name: "ChatStore",
            dependencies: [
                "Shared",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Sources/Store"
        ),

        .executableTarget(
            name: "ChatServer",
            dependencies: [
                "Shared", "CSupport", "ChatStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Server"
        ),
        .executableTarget(
            name: "ChatTUI",
            dependencies: [
                "Shared", "CSupport", "CNcursesw",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            path: "Sources/TUI"
        ),
        .executableTarget(
            name: "ChatBench",
            dependencies: [
                "Shared", "CSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Bench",
            // The generator shares the machine's cores with the server it measures: run-time
            // exclusivity checks on its connection objects were a sixth of its own CPU per message.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),

        .testTarget(name: "SharedTests", dependencies: ["Shared"], path: "Tests/SharedTests"),
        .testTarget(name: "StoreTests", dependencies: ["ChatStore", "Shared"], path: "Tests/StoreTests"),
        .testTarget(name: "ServerTests", dependencies: ["ChatServer", "Shared", "CSupport"], path: "Tests/ServerTests"),
        .testTarget(name: "TUITests", dependencies: ["ChatTUI", "Shared"], path: "Tests/TUITests", exclude: ["Snapshots"]),
        .testTarget(name: "BenchTests", dependencies: ["ChatBench"], path: "Tests/BenchTests"),
        .testTarget(name: "EndToEndTests", dependencies: ["Shared", "CSupport"], path: "Tests/EndToEndTests"),
    ],
    swiftLanguageModes: [.v6]
)
