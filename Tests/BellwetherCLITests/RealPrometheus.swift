import BellwetherTestSupport
import Foundation

/// Debian's `prometheus` on a free loopback port with a generated configuration and its own
/// temporary storage, scraping every second the targets an HTTP service-discovery endpoint lists
/// (`bellwether sim --expose-prometheus` serves its fleet's at `/targets`). The port is found by
/// binding port 0 first; Prometheus then listens on it (it cannot report a port it chose itself).
final class RealPrometheus: Sendable {
    let url: String
    private let process: Process
    private let directory: URL

    init(discovering targets: String, port: Int) throws {
        guard let binary = ["/usr/bin/prometheus", "/usr/local/bin/prometheus"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Missing(what: "prometheus is not installed: run scripts/test, which installs Debian's prometheus package")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: fleet
                http_sd_configs: [{url: "\(targets)", refresh_interval: 5s}]

            """
        try config.write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        url = "http://127.0.0.1:\(port)"
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--config.file=\(directory.appendingPathComponent("prometheus.yml").path)",
            "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: {
            let log = directory.appendingPathComponent("prometheus.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            return log
        }())
        try process.run()
    }

    /// The value of an instant query's first sample, or nil while it has none (or Prometheus is
    /// not up yet).
    func instant(_ promql: String) async -> Double? {
        var components = URLComponents(string: url + "/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: promql)]
        // A form value's `+` is a space to Prometheus (`le="+Inf"`).
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let (_, data) = try? await TestHTTP.request("GET", components.url!.absoluteString),
              let body = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let result = (body["data"] as? [String: Any])?["result"] as? [[String: Any]],
              let value = result.first?["value"] as? [Any], let text = value.last as? String
        else { return nil }
        return Double(text)
    }

    /// Waits until `promql` answers a value `accept` takes, asking every 100 ms up to `seconds`.
    func wait(until promql: String, seconds: Double = 60, _ accept: (Double) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = await instant(promql), accept(value) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? ""
        throw Missing(what: "Prometheus never answered `\(promql)` as expected within \(seconds)s; its log:\n\(log.suffix(2000))")
    }

    func stop() {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        try? FileManager.default.removeItem(at: directory)
    }

    struct Missing: Error, CustomStringConvertible { var what: String; var description: String { what } }
}

