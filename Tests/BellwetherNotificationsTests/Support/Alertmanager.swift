import BellwetherTestSupport
import Foundation

/// A real Alertmanager (Debian's `prometheus-alertmanager`, which scripts/test installs) on a
/// loopback port with a throwaway configuration and storage, clustering off.
final class Alertmanager {
    static let binary = "/usr/bin/prometheus-alertmanager"

    let process = Process()
    let directory: URL
    let port: Int

    /// Starts it and returns once `/-/ready` answers 200 (within 30 s).
    init() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else { throw Missing() }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertmanager-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("alertmanager.yml")
        try "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n".write(to: config, atomically: true, encoding: .utf8)
        port = try FreePort.pick()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file=\(config.path)", "--storage.path=\(directory.path)",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Waiting on a condition with a deadline: its readiness endpoint, not a fixed delay.
        let ready = "http://127.0.0.1:\(port)/-/ready"
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, process.isRunning {
            if let (status, _) = try? await TestHTTP.request("GET", ready, timeout: .seconds(5)), status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Exited()
    }

    /// Alertmanager's own view: `GET /api/v2/alerts` (active, silenced, inhibited; not resolved).
    func alerts() async throws -> [[String: Any]] {
        let (_, data) = try await TestHTTP.request("GET", "http://127.0.0.1:\(port)/api/v2/alerts")
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: directory)
    }


    struct Missing: Error, CustomStringConvertible {
        var description: String { "\(Alertmanager.binary) is missing: run scripts/test, which installs Debian's prometheus-alertmanager" }
    }

    struct Exited: Error, CustomStringConvertible {
        var description: String { "prometheus-alertmanager did not become ready within 30 s" }
    }
}
