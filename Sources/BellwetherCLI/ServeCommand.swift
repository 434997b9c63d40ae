import ArgumentParser
import BellwetherCore
import BellwetherHTTPClient
import BellwetherServer
import BellwetherStore
import Foundation

/// `bellwether serve`: runs the controller (the HTTP API and the control loop) until SIGTERM or
/// SIGINT, then shuts down gracefully and exits 0. Prints `listening on HOST:PORT` once it accepts connections, the port
/// the system chose when `--listen` ends in `:0` (and `otlp listening on HOST:PORT` for `--otlp-listen`).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the controller: the HTTP API agents and operators talk to.",
        discussion: """
            Settings come from the flags, then the environment (BELLWETHER_ADMIN_TOKEN, \
            BELLWETHER_AGENT_TOKEN), then --config FILE (YAML keys: db, listen, otlpListen, \
            adminToken, agentToken, heartbeatSeconds, silentAfter, otlpAgentFallback, telemetryRetention, idleTimeout, forgetAgentsAfter, deployCommand, \
            deployConcurrency, deployTimeout, deployBackoff, deployAttempts, and the prometheus… keys of docs/scale.md), then \
            the defaults. Without an \
            admin token the operator API is open, so the server then refuses any address but loopback. \
            OTLP/HTTP (POST /v1/metrics, /v1/traces) is served on the API's listener and also on \
            --otlp-listen when given; agents are told apart by service.instance.id, or by \
            --otlp-agent-fallback (such as host.name) when a resource has none. OpAMP agents (plain \
            HTTP) report to POST /v1/opamp with the agent token. deployCommand runs a command per agent \
            whose desired version changes, such as deploy/drivers/ssh-systemd.sh {agent} {version} {url} {sha256}. \
            With --prometheus-url the control loop reads telemetry from Prometheus with PromQL instead \
            (BELLWETHER_PROMETHEUS_AUTHORIZATION: the Authorization header it sends).
            """
    )

    @Option(help: ArgumentHelp("A YAML file of settings; flags and the environment override it.", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("The SQLite database (default ./bellwether.db).", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Where the API listens (default 127.0.0.1:7070).", valueName: "host:port"))
    var listen: String?

    @Option(help: ArgumentHelp("A second listener for OTLP/HTTP (4318 is the convention).", valueName: "host:port"))
    var otlpListen: String?

    @Option(help: ArgumentHelp("The resource attribute naming an agent whose telemetry has no service.instance.id, such as host.name.", valueName: "attribute"))
    var otlpAgentFallback: String?

    @Option(help: ArgumentHelp("How often agents check in, in seconds (default 15).", valueName: "seconds"))
    var heartbeatSeconds: Int?

    @Option(help: ArgumentHelp("When an agent counts as silent, such as 45s (default 3 heartbeats).", valueName: "duration"))
    var silentAfter: String?

    @Option(help: ArgumentHelp("Read telemetry from this Prometheus (PromQL) instead of the embedded store.", valueName: "url"))
    var prometheusURL: String?

    @Option(help: ArgumentHelp("How long agents' telemetry is kept when no active rollout needs it, such as 6h (the default).", valueName: "duration"))
    var telemetryRetention: String?

    @Option(help: ArgumentHelp("Close a connection idle, or sending a request, for this long, such as 30s (the default).", valueName: "duration"))
    var idleTimeout: String?

    @Option(help: ArgumentHelp("Forget an agent silent this long, such as 7d (the default); agents assigned while a rollout is active are kept.", valueName: "duration"))
    var forgetAgentsAfter: String?

    @Option(help: ArgumentHelp("Run controller time this many times faster than the wall clock (demos).", valueName: "factor"))
    var speed: Double = 1

    @Option(help: ArgumentHelp("The dashboard's address as operators reach it; notifications link to its rollouts (or BELLWETHER_DASHBOARD_URL).", valueName: "url"))
    var dashboardURL: String?

    @Option(help: ArgumentHelp("Logs on standard error: text, or json (one object per line, with rollout and agent ids).", valueName: "format"))
    var logFormat: LogFormat = .text

    @Option(help: .hidden)
    var manualClock: Double?

    func validate() throws {
        guard speed.isFinite, speed > 0, speed <= 10_000 else {
            throw ValidationError("--speed must be more than 0 and at most 10000, found \(speed)")
        }
        if let manualClock, !(manualClock.isFinite && manualClock > 0) {
            throw ValidationError("--manual-clock takes a start instant in seconds since the Unix epoch")
        }
    }

    /// The clock the control loop, heartbeats and the audit log share: the system's, the system's
    /// sped up for demos, or (hidden, for tests of the real process) a manual clock that only
    /// `POST /api/v1/clock/advance` moves.
    private var clock: any ControllerClock {
        if let manualClock { return ManualClock(now: Date(timeIntervalSince1970: manualClock)) }
        if speed != 1 { return ScaledClock(speed: speed) }
        return SystemControllerClock()
    }

    func run() async throws {
        logFormat.bootstrap()
        let environment = ProcessInfo.processInfo.environment
        var flags = ServerSettings(
            database: db, listen: listen, otlpListen: otlpListen, heartbeatSeconds: heartbeatSeconds, silentAfter: silentAfter,
            otlpAgentFallback: otlpAgentFallback, telemetryRetention: telemetryRetention
        )
        flags.prometheus.url = prometheusURL
        flags.idleTimeout = idleTimeout
        flags.forgetAgentsAfter = forgetAgentsAfter
        var configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration.resolve(flags: flags, configFile: config, environment: environment)
        } catch {
            throw CommandFailure.badInput(error.message)
        }
        configuration.notifications.dashboardURL = dashboardURL ?? environment["BELLWETHER_DASHBOARD_URL"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.notifications.defaultSecret = environment["BELLWETHER_WEBHOOK_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.notifications.environment = environment
        let store: BellwetherStore
        do {
            store = try BellwetherStore.open(path: configuration.databasePath)
        } catch {
            throw CommandFailure.failed("cannot open the database \(configuration.databasePath): \(error)")
        }
        // The service group shuts the client down after the services that use it; `with` covers
        // the paths on which the group never runs.
        try await OutboundHTTP.with(timeouts: configuration.outboundTimeouts, connectionsPerHost: configuration.outboundConnectionsPerHost) { http in
            var components = ServerComponents.controller(configuration: configuration, store: store, clock: clock, http: http)
            components.services.insert(OutboundHTTPService(http: http), at: 0)
            let application = try buildApplication(configuration: configuration, components: components) { address in
                FileHandle.standardOutput.write(Data("listening on \(address)\n".utf8))
            } onOTLPListening: { address in
                FileHandle.standardOutput.write(Data("otlp listening on \(address)\n".utf8))
            }
            do {
                try await application.runService()
            } catch {
                throw CommandFailure.failed("the server stopped: \(error)")
            }
        }
    }
}

extension LogFormat: ExpressibleByArgument {}
