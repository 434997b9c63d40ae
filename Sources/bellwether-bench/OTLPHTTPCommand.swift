import ArgumentParser
import BellwetherTelemetry
import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `bellwether-bench otlp-http`: a load generator for a running `bellwether serve`. It sends
/// prebuilt OTLP protobuf export requests over loopback on several connections, traces then
/// metrics, each for `--seconds`, and prints what the server sustained (spans/s, data points/s,
/// every request answered 200), the server's CPU and resident memory, and memory samples over
/// the run, which must stay flat. `scripts/bench-otlp-http` starts a release server and runs it.
struct OTLPHTTPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otlp-http",
        abstract: "OTLP/HTTP throughput of a running bellwether serve over loopback (spans/s, data points/s, server CPU and memory)."
    )

    @Option(help: "The server's OTLP base URL.")
    var endpoint = "http://127.0.0.1:4318"

    @Option(help: "The server's process id, for its CPU time and resident memory.")
    var serverPid: Int32?

    @Option(help: "The agent token, when the server has one.")
    var token: String?

    @Option(help: "Seconds to send each signal.")
    var seconds = 30.0

    @Option(help: "Concurrent connections (requests in flight).")
    var connections = 8

    @Option(help: "Distinct agents the telemetry comes from.")
    var agents = 200

    @Option(help: "Agents per metric request, as a Collector batches them (each 60 data points).")
    var agentsPerMetricRequest = 25

    @Option(help: "Seconds between memory samples.")
    var sampleSeconds = 10.0

    func validate() throws {
        guard seconds > 0, connections > 0, agents > 0, agentsPerMetricRequest > 0, sampleSeconds > 0 else {
            throw ValidationError("--seconds, --connections, --agents, --agents-per-metric-request and --sample-seconds must be positive")
        }
        guard agents / agentsPerMetricRequest >= connections else {
            throw ValidationError("each connection sends its own agents' metrics in order: give at least \(connections * agentsPerMetricRequest) --agents or fewer --connections")
        }
    }

    func run() async throws {
        let traces = try OTLPLoad.traceRequests(agents: agents)
        // Each connection owns some agent groups and sends their exports in order, epoch after
        // epoch, so every cumulative point is new to the server (never taken for a resend).
        let groups = (0..<(agents / agentsPerMetricRequest)).map { group in Array((group * agentsPerMetricRequest)..<((group + 1) * agentsPerMetricRequest)) }
        let metricBodies: [[[UInt8]]] = try (0..<connections).map { connection in
            try (0..<2).flatMap { epoch in
                try (1...OTLPLoad.metricExports).flatMap { export in
                    try groups.indices.filter { $0 % connections == connection }.map {
                        try OTLPLoad.metricRequest(agents: groups[$0], export: export, epoch: UInt64(epoch))
                    }
                }
            }
        }
        let pointsPerMetricRequest = agentsPerMetricRequest * OTLPLoad.pointsPerRequest
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = connections
        let session = URLSession(configuration: configuration)
        defer { session.invalidateAndCancel() }
        print("""
            # bellwether-bench otlp-http --seconds \(seconds) --connections \(connections) --agents \(agents)

            \(connections) connections to \(endpoint); traces: \(OTLPLoad.spansPerRequest) spans a request (one agent, 10% failing); \
            metrics: \(pointsPerMetricRequest) data points a request (\(agentsPerMetricRequest) agents × 2 cumulative counters and a 12-bucket histogram × \(OTLPLoad.seriesPerMetric) attribute sets).

            """)
        let startUsage = serverUsage()
        print("| signal | elapsed s | per second | requests/s | refused (429) | failed | server CPU (cores) | server RSS MiB |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        let spans = try await drive("spans", path: "/v1/traces", session: session, perRequest: OTLPLoad.spansPerRequest) { connection in
            traces.indices.lazy.filter { $0 % connections == connection }.map { traces[$0] }
        }
        let points = try await drive("data points", path: "/v1/metrics", session: session, perRequest: pointsPerMetricRequest) { metricBodies[$0] }
        let endUsage = serverUsage()
        print("""

            sustained: \(Int(spans)) spans/s, \(Int(points)) data points/s
            server: \(startUsage.map { String(format: "%.0f", $0.residentMiB) } ?? "?") MiB resident at the start, \
            \(endUsage.map { String(format: "%.0f", $0.residentMiB) } ?? "?") MiB at the end; load generator: \
            \(ProcessUsage.of("self").map { String(format: "%.0f CPU s, %.0f MiB", $0.cpuSeconds, $0.residentMiB) } ?? "?")
            """)
    }

    private func serverUsage() -> ProcessUsage? {
        serverPid.flatMap { ProcessUsage.of(String($0)) }
    }

    /// Sends the bodies each connection is given, round and round, for `seconds`; prints a row
    /// every `sampleSeconds` and a total; returns the items per second answered 200.
    private func drive<Bodies: Collection<[UInt8]>>(
        _ unit: String, path: String, session: URLSession, perRequest: Int, bodies: @escaping @Sendable (Int) -> Bodies
    ) async throws -> Double where Bodies: Sendable {
        let tally = Tally()
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .seconds(seconds)
        var request = URLRequest(url: URL(string: endpoint + path)!)
        request.httpMethod = "POST"
        request.setValue("application/x-protobuf", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let template = request
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in 0..<connections {
                group.addTask {
                    let mine = bodies(connection)
                    while clock.now < deadline {
                        for body in mine {
                            guard clock.now < deadline else { return }
                            var request = template
                            request.httpBody = Data(body)
                            let (_, response) = try await session.data(for: request)
                            tally.count((response as? HTTPURLResponse)?.statusCode ?? 0)
                        }
                    }
                }
            }
            group.addTask {
                var last = (time: start, usage: serverUsage(), requests: 0)
                while clock.now < deadline {
                    try? await Task.sleep(until: min(clock.now + .seconds(sampleSeconds), deadline), clock: clock)
                    let now = clock.now, usage = serverUsage(), counts = tally.counts
                    print(row(unit, unit, elapsed: now - start, since: now - last.time, requests: counts.ok - last.requests, perRequest: perRequest, counts: counts, usage: usage, previous: last.usage))
                    last = (now, usage, counts.ok)
                }
            }
            try await group.waitForAll()
        }
        let elapsed = clock.now - start
        let counts = tally.counts
        print(row("**whole run**", unit, elapsed: elapsed, since: elapsed, requests: counts.ok, perRequest: perRequest, counts: counts, usage: nil, previous: nil))
        return Double(counts.ok * perRequest) / elapsed.seconds
    }

    private func row(
        _ label: String, _ unit: String, elapsed: Duration, since: Duration, requests: Int, perRequest: Int,
        counts: (ok: Int, refused: Int, failed: Int), usage: ProcessUsage?, previous: ProcessUsage?
    ) -> String {
        let rate = Double(requests) / since.seconds
        let cpu = zip2(usage, previous).map { String(format: "%.2f", ($0.cpuSeconds - $1.cpuSeconds) / since.seconds) } ?? "—"
        let rss = usage.map { String(format: "%.0f", $0.residentMiB) } ?? "—"
        return "| \(label) | \(String(format: "%.0f", elapsed.seconds)) | \(Int(rate * Double(perRequest))) \(unit)/s | \(Int(rate)) | \(counts.refused) | \(counts.failed) | \(cpu) | \(rss) |"
    }

    private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
        guard let a, let b else { return nil }
        return (a, b)
    }
}

/// Answers counted across connections.
private final class Tally: Sendable {
    private let state = Mutex((ok: 0, refused: 0, failed: 0))

    func count(_ status: Int) {
        state.withLock { counts in
            switch status {
            case 200: counts.ok += 1
            case 429, 503: counts.refused += 1
            default: counts.failed += 1
            }
        }
    }

    var counts: (ok: Int, refused: Int, failed: Int) { state.withLock { $0 } }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
