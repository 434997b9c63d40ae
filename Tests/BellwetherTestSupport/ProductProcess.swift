import Foundation

/// Runs a product this package builds (the `bellwether` executable) as a real child process,
/// so tests exercise exactly what an operator runs: arguments, exit status, both output streams.
public struct ProductProcess: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// True when the process ended by a signal rather than by exiting.
        public var signalled: Bool
    }

    public let executable: URL

    /// Finds `name` beside the test bundle, where `swift build` / `swift test` put every product.
    public init(product name: String = "bellwether") throws {
        let candidates = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])]
        for start in candidates {
            var dir = start.deletingLastPathComponent()
            for _ in 0..<4 {
                let url = dir.appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: url.path) {
                    self.executable = url
                    return
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        throw ProductNotBuilt(name: name)
    }

    /// Runs to completion and returns what it printed.
    public func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
        let errData = ReadToEnd(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.wait(), as: UTF8.self),
            signalled: process.terminationReason == .uncaughtSignal
        )
    }

    /// Starts the product and hands back the running process with its standard output pipe.
    public func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, FileHandle) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, out.fileHandleForReading)
    }
}

public struct ProductNotBuilt: Error, CustomStringConvertible {
    public var name: String
    public var description: String { "the product '\(name)' was not found beside the tests; run `swift build` first" }
}

/// Drains a pipe on a background thread so the child never blocks writing to it.
final class ReadToEnd: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
