// swift-tools-version: 6.1
// Veector: a peer-to-peer network of personal-assistant nodes. See README.md and Docs/architecture.md.
import PackageDescription

/// System libraries from Debian (see Docs/architecture.md, "Floor 0").
let systemLibraries: [Target] = [
    .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
    .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CMiniUPnPc", pkgConfig: "miniupnpc", providers: [.apt(["libminiupnpc-dev"])]),
]

let package = Package(
    name: "Veector",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "veenode", targets: ["veenode"]),
        .executable(name: "veectordb-stress", targets: ["veectordb-stress"]),
        .executable(name: "veectordb-bench", targets: ["veectordb-bench"]),
        .executable(name: "veesim", targets: ["veesim"]),
        .library(name: "VeectorDB", targets: ["VeectorDB"]),
        .library(name: "VeectorNode", targets: ["VeectorNode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: systemLibraries + [
        // Floor 0: checksums and CPU features in plain C, chosen at run time.
        .target(name: "CVeectorSupport"),
        // Floor 0: the engine's compute kernels in C, SIMD paths chosen at run time (no -march=native).
        .target(name: "CVeectorKernels", dependencies: ["CVeectorSupport"],
                // Optimised in debug builds too, so the real-model tests run in reasonable time; SIMD
                // sets are chosen at run time by function attributes, never by -march.
                cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "VeectorCrypto", dependencies: ["CSodium"]),
        .target(name: "ContentID", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "VeectorRuntime", dependencies: ["CVeectorSupport", "COpenBLAS"]),

        // Floor 1: our embedded database.
        .target(name: "VeectorDB", dependencies: [
            "CVeectorSupport", "CZstd", "VeectorCrypto", "ContentID",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Floor 1: the block inference engine (imports neither VeectorDB nor any network target).
        .target(name: "VeectorEngine", dependencies: ["ContentID", "CVeectorSupport", "CVeectorKernels", "COpenBLAS"]),
        // Floor 1: models decomposed into content-addressed blocks, and the budgeted block cache.
        .target(name: "VeectorBlocks", dependencies: ["VeectorEngine", "ContentID"]),
        // Floor 1: the shared wire vocabulary of the sans-I/O protocol cores (no NIO, no clocks).
        .target(name: "VeectorWire", dependencies: ["VeectorCrypto"]),
        // Floor 1: the Kademlia DHT as a sans-I/O protocol core.
        .target(name: "VeectorDHT", dependencies: ["VeectorWire"]),
        // Floor 1: gossip of signed, content-addressed announcements as a sans-I/O protocol core.
        .target(name: "VeectorGossip", dependencies: ["VeectorWire", "VeectorCrypto", "ContentID"]),
        // Floor 1: content transfer by CID (manifests, verified chunks from many providers) as sans-I/O cores.
        .target(name: "VeectorTransfer", dependencies: ["VeectorWire", "ContentID"]),
        // Floor 1: device/user identities and device certificates.
        .target(name: "VeectorIdentity", dependencies: ["VeectorCrypto", "VeectorWire"]),
        // Floor 1: authenticated encrypted sessions (Noise-XX-style handshake, framing) as a sans-I/O core.
        .target(name: "VeectorSession", dependencies: ["VeectorCrypto", "VeectorWire", "VeectorIdentity"],
                // Optimised in debug builds too: unspecialised generic byte copies in -Onone make the
                // session core ~50x slower, and the TCP driver tests move 64 MiB through it.
                swiftSettings: [.unsafeFlags(["-O"])]),

        // Floor 2: the drivers that run the sans-I/O cores on real sockets (SwiftNIO), UPnP, the control socket.
        .target(name: "VeectorNet", dependencies: [
            "VeectorWire", "VeectorDHT", "VeectorSession", "CMiniUPnPc",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Floor 2: the running node.
        .target(name: "VeectorNode", dependencies: [
            "VeectorDB", "VeectorCrypto", "ContentID", "VeectorRuntime", "VeectorIdentity", "VeectorBlocks", "VeectorEngine",
            "VeectorNet", "VeectorWire", "VeectorDHT", "VeectorSession", "VeectorGossip", "VeectorTransfer",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Floor 3: programs.
        .executableTarget(name: "veenode", dependencies: [
            "VeectorNode", "VeectorDB", "VeectorRuntime", "VeectorNet", "VeectorEngine", "VeectorBlocks", "VeectorGossip",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "veectordb-stress", dependencies: ["VeectorDB"]),
        // The simulator (issue 5): the same protocol cores over a virtual network, deterministic.
        .target(name: "VeectorSim", dependencies: ["VeectorDHT", "VeectorWire", "VeectorCrypto", "VeectorGossip", "VeectorTransfer", "ContentID"], path: "Simulator/VeectorSim"),
        .executableTarget(name: "veesim", dependencies: [
            "VeectorSim", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Simulator/veesim"),
        .executableTarget(name: "veectordb-bench", dependencies: ["VeectorDB", "ContentID"], path: "Benchmarks/VeectorDBBench"),
        // Throughput of the engine's compute kernels per kernel set, precision and thread count (JSON).
        .executableTarget(name: "veector-kernel-bench", dependencies: ["VeectorEngine", "CVeectorKernels"], path: "Benchmarks/KernelBench"),
        // Throughput of the session core alone (Spec/wire.md, "Sessions"); release builds only.
        // Our SmolLM2 forward pass measured as llama-bench measures llama.cpp (pp/tg), mapped or streamed
        // through a BlockCache under a memory budget (Benchmarks/run-engine-vs-llamacpp.sh, run-streaming-budget.sh).
        .executableTarget(name: "veector-engine-bench", dependencies: ["VeectorEngine", "VeectorBlocks", "ContentID"], path: "Benchmarks/EngineBench"),
        .executableTarget(name: "veector-session-bench", dependencies: [
            "VeectorSession", "VeectorCrypto", "VeectorWire", "VeectorNet",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        ], path: "Benchmarks/SessionBench"),
        .executableTarget(name: "veector-embed-bench", dependencies: ["VeectorEngine", "VeectorRuntime"],
                          path: "Benchmarks/EmbedBench", exclude: ["sentences.txt"]),

        // Tests.
        .target(name: "VeectorTestSupport", dependencies: ["VeectorDB"], path: "Tests/VeectorTestSupport"),
        .testTarget(name: "VeectorCryptoTests", dependencies: ["VeectorCrypto"]),
        .testTarget(name: "ContentIDTests", dependencies: ["ContentID"]),
        .testTarget(name: "VeectorRuntimeTests", dependencies: ["VeectorRuntime", "CVeectorSupport", "CMiniUPnPc"]),
        .testTarget(name: "VeectorDBTests", dependencies: ["VeectorDB", "VeectorTestSupport"]),
        .testTarget(name: "VeectorNodeTests", dependencies: [
            "VeectorNode", "VeectorDB", "VeectorTestSupport", "VeectorBlocks", "VeectorEngine", "VeectorCrypto", "VeectorGossip",
        ]),
        .testTarget(name: "VeectorEngineTests", dependencies: ["VeectorEngine", "VeectorTestSupport"]),
        .testTarget(name: "VeectorWireTests", dependencies: ["VeectorWire"]),
        .testTarget(name: "VeectorDHTTests", dependencies: ["VeectorDHT", "VeectorWire"]),
        .testTarget(name: "VeectorGossipTests", dependencies: ["VeectorGossip", "VeectorWire", "VeectorCrypto", "ContentID"]),
        .testTarget(name: "VeectorTransferTests", dependencies: ["VeectorTransfer", "VeectorWire", "ContentID"]),
        .testTarget(name: "VeectorBlocksTests", dependencies: ["VeectorBlocks", "VeectorEngine", "VeectorTestSupport"]),
        .testTarget(name: "VeectorIdentityTests", dependencies: ["VeectorIdentity", "VeectorWire", "VeectorCrypto", "VeectorNode", "VeectorDB", "VeectorTestSupport"]),
        .testTarget(name: "VeectorSessionTests", dependencies: ["VeectorSession", "VeectorWire", "VeectorCrypto", "VeectorIdentity", "VeectorTestSupport"]),
        .testTarget(name: "VeectorNetTests", dependencies: [
            "VeectorNet", "VeectorWire", "VeectorDHT", "VeectorCrypto", "VeectorSession", "VeectorIdentity", "VeectorTestSupport",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .testTarget(name: "VeectorSimTests", dependencies: ["VeectorSim", "VeectorTestSupport"]),
        // Slow: real processes killed at random moments (VEECTOR_CRASH_TRIALS, default 20).
        .testTarget(name: "VeectorDBCrashTests", dependencies: ["VeectorDB", "VeectorTestSupport"]),
        // Slow: real `veenode start` processes (loopback swarms, miniupnpd and libtorrent in network namespaces).
        .testTarget(name: "VeectorNetworkTests", dependencies: ["VeectorNet", "VeectorNode", "VeectorWire", "VeectorTestSupport",
                                                              "VeectorCrypto", "VeectorSession",
                                                              .product(name: "NIOCore", package: "swift-nio"),
                                                              .product(name: "NIOPosix", package: "swift-nio"),
                                                              .product(name: "Logging", package: "swift-log")],
                    exclude: ["Interop"]),
    ]
)
