// swift-tools-version:6.1
// Coverage-guided fuzz targets for every parser that reads bytes from outside: built by
// `scripts/fuzz` with `--sanitize=fuzzer --sanitize=address` (libFuzzer), one executable per parser.
import PackageDescription

let fuzzTarget: (String, [Target.Dependency]) -> Target = { name, dependencies in
    .executableTarget(name: name, dependencies: dependencies + [.product(name: "BellwetherParsers", package: "bellwether")])
}

let package = Package(
    name: "BellwetherFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "bellwether", path: "../.."),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        fuzzTarget("FuzzObservations", []),
        fuzzTarget("FuzzPolicy", []),
        fuzzTarget("FuzzOTLP", [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        fuzzTarget("FuzzOpAMP", [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        fuzzTarget("FuzzAPI", []),
        fuzzTarget("FuzzDeployCommand", []),
    ]
)
