import Foundation

/// Debian's `promtool check metrics`, the Prometheus project's own linter of the text exposition
/// format: exit status 1 on a malformed exposition, 3 on lint problems, each problem a line.
public enum PromToolMetrics {
    public static let path = "/usr/bin/promtool"

    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "\(PromToolMetrics.path) is missing: run scripts/test, which installs Debian's prometheus" }
    }

    /// Lints `exposition`; returns promtool's exit status and what it said.
    public static func check(_ exposition: String) throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(exposition.utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, said)
    }
}
