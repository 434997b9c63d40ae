import BellwetherNotifications
import BellwetherOpAMP
import BellwetherPrometheus
import BellwetherTelemetry

/// Everything `bellwether serve` needs to run, already validated: build one with
/// `ServerConfiguration.resolve` (flags over environment over file over defaults), or directly in
/// tests and call `validate()`.
public struct ServerConfiguration: Sendable, Hashable {
    /// The SQLite database; created and migrated when missing.
    public var databasePath = "./bellwether.db"
    public var listen = ListenAddress(host: "127.0.0.1", port: 7070)
    /// A second listener for OTLP/HTTP (4318 by convention), serving only the OTLP endpoints; they
    /// are served on `listen` as well.
    public var otlpListen: ListenAddress?
    /// Bearer token for operator endpoints (`BELLWETHER_ADMIN_TOKEN`). Without one the operator
    /// API is open, which is allowed only on a loopback address.
    public var adminToken: String?
    /// Bearer token for agent endpoints (`BELLWETHER_AGENT_TOKEN`). Without one they are open,
    /// which is allowed only when every listener is on a loopback address.
    public var agentToken: String?
    /// Agent tokens that speak only for agent ids with a given prefix (`AgentScope`); with them,
    /// the agent endpoints need a token even when `agentToken` is unset.
    public var scopedAgentTokens: [ScopedAgentToken] = []
    /// How often agents are told to check in.
    public var heartbeatSeconds = 15
    /// After how long without a heartbeat an agent counts as silent; 3 heartbeats when nil.
    public var silentAfterSeconds: Double?
    public var limits = RequestLimits()
    /// A connection that sends nothing for this long while idle or while its request is being
    /// read is closed: half-sent requests (slow-loris) and abandoned keep-alives free their slots.
    /// A response in progress (a live event stream) is never cut.
    public var connectionIdleTimeout: Duration = .seconds(30)
    /// The OTLP receiver: its body limit (64 MiB once decompressed), the agent fallback
    /// attribute, its in-flight budget (429 past it), when silent agents are forgotten.
    public var otlp = OTLPReceiver.Settings()
    /// Where the control loop reads telemetry when it is not the embedded store (docs/scale.md).
    public var prometheus: PrometheusSettings?
    /// The OpAMP server: its body limit, and the names versions are offered under.
    public var opamp = OpAMPSettings()
    /// The exec deploy driver: the command run when an agent's desired version changes.
    public var deploy = DeploySettings()
    /// How long heartbeats wait in memory before one transaction writes them all.
    public var heartbeatFlushInterval: Duration = .milliseconds(100)
    /// A batch this large is written at once rather than waiting for the interval.
    public var heartbeatBatchSize = 1_000
    /// How often a live event stream looks for transitions made elsewhere (by the control loop).
    public var eventPollInterval: Duration = .seconds(1)
    /// How long stored telemetry (observations) is kept when no active rollout needs it longer
    /// (`--telemetry-retention`, default 6 hours).
    public var telemetryRetentionSeconds: Double = 6 * 3600
    /// How long an agent may send nothing before the fleet registry and the database forget it
    /// (`--forget-agents-after`, default 7 days), so agents that come and go under new ids
    /// (autoscaled hosts, re-imaged containers) do not fill `limits.fleetAgents` for good. While
    /// a rollout is active, agents with an assignment are kept however long they are silent: they
    /// may be in its plan, and a silent canary must count against it.
    public var forgetSilentAgentsAfterSeconds: Double = 7 * 86_400
    /// How often what the OTLP receiver holds (per-agent aggregates, exemplars) is written.
    public var otlpFlushInterval: Duration = .seconds(1)
    /// How often observations past retention are deleted, and departed agents forgotten.
    public var telemetryPruneInterval: Duration = .seconds(60)

    /// The dashboard link and default signing secret of notifications (`serve --dashboard-url`,
    /// `BELLWETHER_WEBHOOK_SECRET`); policies say what is notified where.
    public var notifications = NotificationSettings()

    public init() {}

    public var silentAfter: Double { silentAfterSeconds ?? Double(heartbeatSeconds * 3) }

    /// Refuses settings the server cannot honour, each with what to write instead.
    public func validate() throws(ConfigurationError) {
        guard !databasePath.isEmpty else { throw ConfigurationError("--db is empty: name the database file, such as ./bellwether.db") }
        guard (1...86_400).contains(heartbeatSeconds) else {
            throw ConfigurationError("--heartbeat-seconds \(heartbeatSeconds) is out of range: use 1 to 86400 seconds (default 15)")
        }
        guard silentAfter > Double(heartbeatSeconds) else {
            throw ConfigurationError(
                "--silent-after \(Self.seconds(silentAfter)) is not longer than the heartbeat (\(heartbeatSeconds)s): agents would count as "
                    + "silent between two heartbeats; use at least twice the heartbeat, such as \(heartbeatSeconds * 3)s"
            )
        }
        if let adminToken, adminToken == agentToken {
            throw ConfigurationError("the admin token and the agent token are the same: give agents a token of their own, so one leaked agent token cannot control rollouts")
        }
        try Self.validateToken(adminToken, name: "admin token (BELLWETHER_ADMIN_TOKEN)")
        try Self.validateToken(agentToken, name: "agent token (BELLWETHER_AGENT_TOKEN)")
        var seen = Set([adminToken, agentToken].compactMap { $0 })
        for scoped in scopedAgentTokens {
            try Self.validateToken(scoped.token, name: "agent token for '\(scoped.idPrefix)' (agentTokens)")
            guard seen.insert(scoped.token).inserted else {
                throw ConfigurationError("the agent token for '\(scoped.idPrefix)' is used twice or is the admin or the fleet's agent token: give each group of agents a token of its own")
            }
        }
        if adminToken == nil, !listen.isLoopback {
            throw ConfigurationError(
                "refusing to serve the operator API on \(listen), a non-loopback address, without an admin token: "
                    + "set BELLWETHER_ADMIN_TOKEN (or adminToken in --config), or listen on 127.0.0.1"
            )
        }
        if agentToken == nil, scopedAgentTokens.isEmpty, let exposed = [listen, otlpListen].compactMap({ $0 }).first(where: { !$0.isLoopback }) {
            throw ConfigurationError(
                "refusing to take agents' heartbeats and telemetry on \(exposed), a non-loopback address, without an agent token: "
                    + "anyone who reaches the port could drive promotions and rollbacks with made-up telemetry; "
                    + "set BELLWETHER_AGENT_TOKEN (or agentToken or agentTokens in --config), or listen on 127.0.0.1"
            )
        }
    }

    /// The tokens every endpoint checks.
    public var accessTokens: AccessTokens {
        AccessTokens(admin: adminToken, agent: agentToken, scopedAgents: scopedAgentTokens)
    }

    private static func validateToken(_ token: String?, name: String) throws(ConfigurationError) {
        guard let token else { return }
        guard !token.isEmpty, !token.contains(where: \.isWhitespace) else {
            throw ConfigurationError("the \(name) must be non-empty and contain no spaces; generate one with `openssl rand -hex 32`")
        }
        let strength = TokenStrength(token)
        guard strength.isStrong else {
            throw ConfigurationError(
                "the \(name) is too easy to guess (\(strength.length) characters, about \(Int(strength.bits)) bits; at least "
                    + "\(TokenStrength.minimumLength) characters and \(Int(TokenStrength.minimumBits)) bits are required): "
                    + "generate one with `openssl rand -hex 32`"
            )
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}

/// The largest request bodies the server reads; anything larger is refused with 413 before it is
/// buffered, so one client cannot exhaust the controller's memory.
public struct RequestLimits: Sendable, Hashable {
    /// JSON APIs: heartbeats, rollout commands, policies.
    public var jsonBytes = 1 << 20
    /// A batch of observations (JSON Lines).
    public var observationBytes = 16 << 20
    /// Heartbeats, observations and OpAMP messages in flight at once, and their bodies' bytes
    /// (a body without a declared length counts at its endpoint's limit): past either, 429 with
    /// `Retry-After`. OTLP has a budget of its own (`otlp.admission`), charged inflated bytes.
    public var intake = OTLPAdmission.Budget(maxRequests: 512, maxBytes: 64 << 20)
    /// Agents the fleet registry takes heartbeats from (JSON and OpAMP); a new agent past it is
    /// refused with 503 `full` while known agents go on.
    public var fleetAgents = 200_000

    public init() {}
}
