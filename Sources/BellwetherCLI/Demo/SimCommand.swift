import ArgumentParser
import BellwetherCore
import BellwetherFleetSim
import BellwetherHTTPClient
import BellwetherServer
import Foundation

/// `bellwether sim`: the demo's fleet against a controller running elsewhere, for trying a real
/// deployment and for load tests. Runs until Ctrl-C (or `--duration`), printing what it sent.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run a simulated fleet against a running controller.",
        discussion: """
            Agents heartbeat to SERVER/api/v1/agents/heartbeat and export OTLP/HTTP protobuf to \
            SERVER/v1/metrics and /v1/traces with the agent token (--agent-token or \
            BELLWETHER_AGENT_TOKEN), start on --stable-version and install what the controller tells \
            them. --bad-version names the version that behaves as --scenario says; start a rollout of \
            it with `bellwether rollout start`. With --speed, match the server's `serve --speed`.

            With --expose-prometheus HOST:PORT the agents send no OTLP: their metrics are served in \
            Prometheus' text format as an OpenTelemetry Collector's prometheus exporter and \
            spanmetrics connector would (docs/scale.md), all at /metrics and each at \
            /agents/ID/metrics, with the fleet as scrape targets at /targets (http_sd_configs) and \
            in --prometheus-targets FILE (file_sd_configs). Port 0 binds a free port; the address is \
            printed as `prometheus metrics on HOST:PORT`.
            """
    )

    @Option(help: ArgumentHelp("The controller's URL.", valueName: "url"))
    var server = "http://127.0.0.1:7070"

    @Option(help: "Simulated agents.")
    var agents = 200

    @Option(help: ArgumentHelp("The version every agent runs at the start.", valueName: "version"))
    var stableVersion = DemoRun.stableVersion

    @Option(help: ArgumentHelp("The version that behaves as --scenario says.", valueName: "version"))
    var badVersion = DemoRun.targetVersion

    @Option(help: ArgumentHelp("What --bad-version does: \(FleetScenario.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "scenario"))
    var scenario = FleetScenario.silentKiller

    @Option(help: "The agent token (default $BELLWETHER_AGENT_TOKEN).")
    var agentToken: String?

    @Option(help: "Fleet time runs this many times faster than real time; match the server's --speed.")
    var speed = 1.0

    @Option(help: "Agents' resources per OTLP export request, as a Collector batches them (1: each agent its own).")
    var batch = 25

    @Option(help: "Seed of the simulated fleet.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Serve agents' metrics for Prometheus here instead of sending OTLP.", valueName: "host:port"))
    var exposePrometheus: String?

    @Option(help: ArgumentHelp("Write the fleet's scrape targets here (file_sd_configs JSON); needs --expose-prometheus.", valueName: "file"))
    var prometheusTargets: String?

    @Option(help: "Multiplies every agent's record rate (about 8 records/s each by default).")
    var traffic = 1.0

    @Option(help: "Share of records whose span is traced (the SDK's sampler ratio).")
    var traceSampleRatio = 0.08

    @Option(help: "Share of installs of a new version that fail, the agent keeping its version (a test of something else than installs may want 0).")
    var installFailureRate = SimulationSettings().installFailureRate

    @Option(help: ArgumentHelp("Stop after this many seconds of real time (default: run until Ctrl-C).", valueName: "seconds"))
    var duration: Double?

    func validate() throws {
        guard (1...100_000).contains(agents) else { throw ValidationError("--agents must be 1 to 100000, found \(agents)") }
        guard speed.isFinite, speed > 0, speed <= 10_000 else { throw ValidationError("--speed must be more than 0 and at most 10000, found \(speed)") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard traffic.isFinite, traffic > 0, traffic <= 1_000 else { throw ValidationError("--traffic must be more than 0 and at most 1000, found \(traffic)") }
        guard (0...1).contains(traceSampleRatio) else { throw ValidationError("--trace-sample-ratio must be from 0 to 1, found \(traceSampleRatio)") }
        guard (0...1).contains(installFailureRate) else { throw ValidationError("--install-failure-rate must be from 0 to 1, found \(installFailureRate)") }
        if prometheusTargets != nil, exposePrometheus == nil {
            throw ValidationError("--prometheus-targets needs --expose-prometheus HOST:PORT: the targets are that listener's paths")
        }
    }

    func run() async throws {
        guard let url = URL(string: server), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw CommandFailure.badInput("--server '\(server)' is not an http(s) URL; write one such as http://127.0.0.1:7070")
        }
        let token = agentToken ?? ProcessInfo.processInfo.environment["BELLWETHER_AGENT_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        var listen: ListenAddress?
        if let exposePrometheus {
            do {
                listen = try ListenAddress(parsing: exposePrometheus, option: "--expose-prometheus")
            } catch {
                throw CommandFailure.badInput(error.description)
            }
        }
        try await OutboundHTTP.with(timeouts: FleetTransport.timeouts, connectionsPerHost: 64) { http in
            try await simulate(transport: FleetTransport(server: url, token: token, http: http), listen: listen)
        }
    }

    private func simulate(transport: FleetTransport, listen: ListenAddress?) async throws {
        let clock: any ControllerClock = speed == 1 ? SystemControllerClock() : ScaledClock(speed: speed)
        let fleet = FleetSimulator(
            configuration: .init(agents: agents, seed: seed, settings: SimulationSettings(
                stableVersion: stableVersion, behaviours: [badVersion: scenario.behaviour], installFailureRate: installFailureRate,
                traceSampleRatio: traceSampleRatio, trafficFactor: traffic
            ), batchSize: batch, exportsOTLP: listen == nil),
            transport: transport,
            clock: clock
        )
        Printer.line(DemoRun.describe(fleet.profiles))
        Printer.line("\(badVersion) behaves as \(scenario.rawValue): \(scenario.story)")
        var exposing: Task<Void, any Error>?
        if let listen { exposing = try await expose(fleet, on: listen) }
        defer { exposing?.cancel() }
        let started = ContinuousClock.now
        let running = Task { await fleet.run() }
        let reporter = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(5))
                let sent = fleet.sent
                Printer.line("\(Int((ContinuousClock.now - started).components.seconds))s: \(Self.summary(sent)); versions \(DemoNarrator.versions(fleet.versions))"
                    + (sent.lastError.map { "; last error: \($0)" } ?? ""))
            }
        }
        if let duration {
            try? await Task.sleep(for: .seconds(duration))
            running.cancel()
        }
        await running.value
        reporter.cancel()
        let sent = fleet.sent
        Printer.line("done: \(Self.summary(sent))")
        if sent.errors > 0 { throw CommandFailure.failed("\(sent.errors) requests failed; last: \(sent.lastError ?? "?")") }
    }

    /// Starts the Prometheus listener and returns once it is bound, with the task serving it.
    private func expose(_ fleet: FleetSimulator, on listen: ListenAddress) async throws -> Task<Void, any Error> {
        let (addresses, announce) = AsyncStream.makeStream(of: String.self)
        let application = FleetMetricsListener.application(fleet: fleet, host: listen.host, port: listen.port) { announce.yield($0) }
        let serving = Task {
            defer { announce.finish() }
            try await application.runService(gracefulShutdownSignals: [])
        }
        var iterator = addresses.makeAsyncIterator()
        guard let address = await iterator.next() else {
            let reason: String
            switch await serving.result {
            case .failure(let error): reason = "\(error)"
            case .success: reason = "it stopped"
            }
            throw CommandFailure.failed("cannot serve Prometheus metrics on \(listen): \(reason)")
        }
        if let prometheusTargets {
            do {
                try fleet.scrapeTargets(address: address).json().write(to: URL(fileURLWithPath: prometheusTargets), options: .atomic)
            } catch {
                serving.cancel()
                throw CommandFailure.failed("cannot write --prometheus-targets \(prometheusTargets): \(error.localizedDescription)")
            }
        }
        Printer.line("prometheus metrics on \(address)")
        return serving
    }

    static func summary(_ sent: FleetCounters) -> String {
        "\(sent.heartbeats) heartbeats, \(sent.metricExports) metric and \(sent.traceExports) trace exports, \(sent.spans) spans, \(sent.errors) errors"
    }
}
