import ArgumentParser
import BellwetherTelemetry
import Foundation
import Synchronization

/// `bellwether-bench otlp-http`: a load generator for a running `bellwether serve`. It sends
/// prebuilt OTLP protobuf export requests over loopback on several raw HTTP/1.1 keep-alive
/// connections, traces then metrics, each for `--seconds`, and prints what the server sustained
/// (spans/s, data points/s, every request answered 200), the server's CPU time per span and per
/// data point (which other load on the machine barely moves), and its resident memory over the
/// run, which must stay flat. `scripts/bench-otlp-http` starts a release server and runs it.
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
        guard let authority = URL(string: endpoint).flatMap({ url in url.host.map { "\($0):\(url.port ?? 80)" } }),
              endpoint.hasPrefix("http://")
        else { throw ValidationError("--endpoint must be an http:// URL with a host, such as http://127.0.0.1:4318") }
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
        var headers = [("Content-Type", "application/x-protobuf")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        // Whole requests, head and body, serialised once: sending one is a single write.
        let wire = { (path: String, body: [UInt8]) in
            RawHTTPConnection.request(path: path, host: authority, headers: headers, body: body)
        }
        let traceRequests = (0..<connections).map { connection in
            traces.indices.filter { $0 % connections == connection }.map { wire("/v1/traces", traces[$0]) }
        }
        let metricRequests = metricBodies.map { $0.map { wire("/v1/metrics", $0) } }
        print("""
            # bellwether-bench otlp-http --seconds \(seconds) --connections \(connections) --agents \(agents)

            \(connections) HTTP/1.1 keep-alive connections to \(endpoint) (raw sockets, prebuilt requests); traces: \(OTLPLoad.spansPerRequest) spans a request (one agent, 10% failing); \
            metrics: \(pointsPerMetricRequest) data points a request (\(agentsPerMetricRequest) agents × 2 cumulative counters and a 12-bucket histogram × \(OTLPLoad.seriesPerMetric) attribute sets).
            Server CPU µs per item is the server process's CPU time (user and system, from /proc) over the items it answered: \
            it holds when other processes load the machine, which the rates do not. Load average at the start: \(LoadAverage.current).

            """)
        let startUsage = serverUsage()
        print("| signal | elapsed s | per second | requests/s | refused (429) | failed | server CPU (cores) | server CPU µs per item | load generator CPU (cores) | server RSS MiB |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        let spans = try await drive("spans", perRequest: OTLPLoad.spansPerRequest, requests: traceRequests, authority: authority)
        let points = try await drive("data points", perRequest: pointsPerMetricRequest, requests: metricRequests, authority: authority)
        let endUsage = serverUsage()
        print("""

            sustained: \(Int(spans.rate)) spans/s at \(spans.cpuPerItem.map { String(format: "%.2f", $0) } ?? "?") server CPU µs a span, \
            \(Int(points.rate)) data points/s at \(points.cpuPerItem.map { String(format: "%.2f", $0) } ?? "?") server CPU µs a point
            server: \(startUsage.map { String(format: "%.0f", $0.residentMiB) } ?? "?") MiB resident at the start, \
            \(endUsage.map { String(format: "%.0f", $0.residentMiB) } ?? "?") MiB at the end; load generator: \
            \(ProcessUsage.of("self").map { String(format: "%.0f CPU s, %.0f MiB", $0.cpuSeconds, $0.residentMiB) } ?? "?"); \
            load average at the end: \(LoadAverage.current)
            """)
    }

    private func serverUsage() -> ProcessUsage? {
        serverPid.flatMap { ProcessUsage.of(String($0)) }
    }

    /// What one signal's run sustained: items per second answered 200, and the server's CPU
    /// microseconds per item (nil without `--server-pid`).
    private struct Sustained {
        var rate: Double
        var cpuPerItem: Double?
    }

    /// Sends each connection's requests, round and round, for `seconds`, one thread a connection
    /// (blocking sockets: the cheapest way to keep a request in flight on each); prints a row
    /// every `sampleSeconds` and a total.
    private func drive(_ unit: String, perRequest: Int, requests: [[[UInt8]]], authority: String) async throws -> Sustained {
        let tally = Tally()
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .seconds(seconds)
        let first = (server: serverUsage(), generator: ProcessUsage.of("self"))
        let done = DispatchGroup()
        for mine in requests {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                do {
                    let connection = try RawHTTPConnection(endpoint: authority)
                    while clock.now < deadline {
                        for request in mine {
                            guard clock.now < deadline else { return }
                            do {
                                tally.count(try connection.send(request))
                            } catch RawHTTPConnection.Failure.closed {
                                tally.count(0)
                            }
                        }
                    }
                } catch {
                    tally.fail("\(error)")
                }
            }
        }
        let sampler = Task {
            var last = (time: start, usage: first, requests: 0)
            while clock.now < deadline {
                try? await Task.sleep(until: min(clock.now + .seconds(sampleSeconds), deadline), clock: clock)
                let now = clock.now, usage = (server: serverUsage(), generator: ProcessUsage.of("self")), counts = tally.counts
                print(row(unit, unit, elapsed: now - start, since: now - last.time, requests: counts.ok - last.requests, perRequest: perRequest, counts: counts, usage: usage, previous: last.usage))
                last = (now, usage, counts.ok)
            }
        }
        await withCheckedContinuation { continuation in done.notify(queue: .global()) { continuation.resume() } }
        await sampler.value
        let elapsed = clock.now - start
        let counts = tally.counts
        let usage = (server: serverUsage(), generator: ProcessUsage.of("self"))
        print(row("**whole run**", unit, elapsed: elapsed, since: elapsed, requests: counts.ok, perRequest: perRequest, counts: counts, usage: usage, previous: first))
        if let error = tally.firstError { print("\n\(unit): a connection stopped: \(error)") }
        let items = Double(counts.ok * perRequest)
        return Sustained(
            rate: items / elapsed.seconds,
            cpuPerItem: zip2(usage.server, first.server).flatMap { items > 0 ? ($0.cpuSeconds - $1.cpuSeconds) * 1e6 / items : nil }
        )
    }

    private func row(
        _ label: String, _ unit: String, elapsed: Duration, since: Duration, requests: Int, perRequest: Int,
        counts: (ok: Int, refused: Int, failed: Int),
        usage: (server: ProcessUsage?, generator: ProcessUsage?), previous: (server: ProcessUsage?, generator: ProcessUsage?)
    ) -> String {
        let rate = Double(requests) / since.seconds
        let serverCPU = zip2(usage.server, previous.server).map { $0.cpuSeconds - $1.cpuSeconds }
        let cores = serverCPU.map { String(format: "%.2f", $0 / since.seconds) } ?? "—"
        let perItem = serverCPU.flatMap { requests > 0 ? String(format: "%.2f", $0 * 1e6 / Double(requests * perRequest)) : nil } ?? "—"
        let generator = zip2(usage.generator, previous.generator).map { String(format: "%.2f", ($0.cpuSeconds - $1.cpuSeconds) / since.seconds) } ?? "—"
        let rss = usage.server.map { String(format: "%.0f", $0.residentMiB) } ?? "—"
        return "| \(label) | \(String(format: "%.0f", elapsed.seconds)) | \(Int(rate * Double(perRequest))) \(unit)/s | \(Int(rate)) | \(counts.refused) | \(counts.failed) | \(cores) | \(perItem) | \(generator) | \(rss) |"
    }

    private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
        guard let a, let b else { return nil }
        return (a, b)
    }
}

/// Answers counted across connections.
private final class Tally: Sendable {
    private let state = Mutex((ok: 0, refused: 0, failed: 0))
    private let error = Mutex<String?>(nil)

    func count(_ status: Int) {
        state.withLock { counts in
            switch status {
            case 200: counts.ok += 1
            case 429, 503: counts.refused += 1
            default: counts.failed += 1
            }
        }
    }

    /// A connection that could not go on (refused, reset): counted once, the first kept.
    func fail(_ description: String) {
        count(0)
        error.withLock { $0 = $0 ?? description }
    }

    var counts: (ok: Int, refused: Int, failed: Int) { state.withLock { $0 } }
    var firstError: String? { error.withLock { $0 } }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
