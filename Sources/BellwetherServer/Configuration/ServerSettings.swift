import Yams

/// The server's settings as one source gives them, each optional: command-line flags, the
/// environment, or a `--config` YAML file. `ServerConfiguration.resolve` layers the sources.
public struct ServerSettings: Sendable, Hashable {
    public var database: String?
    public var listen: String?
    public var otlpListen: String?
    public var adminToken: String?
    public var agentToken: String?
    public var heartbeatSeconds: Int?
    /// A duration with its unit, such as `45s` or `2m`.
    public var silentAfter: String?
    /// The resource attribute naming agents whose telemetry has no `service.instance.id`.
    public var otlpAgentFallback: String?
    /// The Prometheus metric source; the embedded store when it has no URL.
    public var prometheus = PrometheusSourceSettings()
    /// The exec deploy driver's command template (`deploy/drivers/ssh-systemd.sh {agent} {version} {url} {sha256}`).
    public var deployCommand: String?
    /// How many deploy commands run at once.
    public var deployConcurrency: Int?
    /// Durations with their unit, such as `5m` and `10s`.
    public var deployTimeout: String?
    public var deployBackoff: String?
    /// Runs per desired version, the first included.
    public var deployAttempts: Int?
    /// How long observations are kept, a duration such as `6h`.
    public var telemetryRetention: String?
    /// How long a connection may sit idle, or half-sent, before it is closed, such as `30s`.
    public var idleTimeout: String?
    /// How long an agent may stay silent before the fleet forgets it, such as `7d`.
    public var forgetAgentsAfter: String?
    /// Agent tokens that speak only for some agents; from the `--config` file, as a list of
    /// `{idPrefix: PREFIX, token: TOKEN}` (a secret per host group has no place on a command line).
    public var scopedAgentTokens: [ScopedAgentToken]?
    /// The same from `BELLWETHER_AGENT_TOKENS` (`PREFIX=TOKEN,PREFIX=TOKEN`), which wins over the
    /// file's list: where secrets usually come from. Parsed, with its errors, when applied.
    public var scopedAgentTokensVariable: String?

    public init(
        database: String? = nil, listen: String? = nil, otlpListen: String? = nil, adminToken: String? = nil,
        agentToken: String? = nil, heartbeatSeconds: Int? = nil, silentAfter: String? = nil, otlpAgentFallback: String? = nil,
        telemetryRetention: String? = nil
    ) {
        self.database = database
        self.listen = listen
        self.otlpListen = otlpListen
        self.adminToken = adminToken
        self.agentToken = agentToken
        self.heartbeatSeconds = heartbeatSeconds
        self.silentAfter = silentAfter
        self.otlpAgentFallback = otlpAgentFallback
        self.telemetryRetention = telemetryRetention
    }

    /// The tokens, from `BELLWETHER_ADMIN_TOKEN`, `BELLWETHER_AGENT_TOKEN` and `BELLWETHER_AGENT_TOKENS`; an empty variable
    /// counts as unset, as shells and unit files often leave them.
    public static func environment(_ environment: [String: String]) -> ServerSettings {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        var settings = ServerSettings(adminToken: value("BELLWETHER_ADMIN_TOKEN"), agentToken: value("BELLWETHER_AGENT_TOKEN"))
        settings.prometheus.authorization = value("BELLWETHER_PROMETHEUS_AUTHORIZATION")
        settings.scopedAgentTokensVariable = value("BELLWETHER_AGENT_TOKENS")
        return settings
    }

    /// The keys a `--config` file may hold, each named as its flag is, in camel case.
    static let fileKeys = [
        "db", "listen", "otlpListen", "adminToken", "agentToken", "heartbeatSeconds", "silentAfter", "otlpAgentFallback",
        "telemetryRetention", "idleTimeout", "forgetAgentsAfter", "agentTokens", "deployCommand", "deployConcurrency", "deployTimeout", "deployBackoff", "deployAttempts",
    ] + PrometheusSourceSettings.fileKeys

    /// Reads a `--config` file: a YAML mapping of `fileKeys`. `path` only labels the errors.
    public static func file(yaml: String, path: String) throws(ConfigurationError) -> ServerSettings {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigurationError("\(path): not valid YAML: \(error)")
        }
        guard let root else { return ServerSettings() }
        guard let mapping = root.mapping else {
            throw ConfigurationError("\(path): expected a mapping of settings such as `listen: 127.0.0.1:7070`")
        }
        var settings = ServerSettings()
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            let line = keyNode.mark.map { ":\($0.line)" } ?? ""
            if key == "agentTokens" {
                settings.scopedAgentTokens = try scopedAgentTokens(valueNode, path: path, line: line)
                continue
            }
            guard let value = valueNode.scalar?.string else {
                throw ConfigurationError("\(path)\(line): \(key) must be a single value")
            }
            switch key {
            case "db": settings.database = value
            case "listen": settings.listen = value
            case "otlpListen": settings.otlpListen = value
            case "adminToken": settings.adminToken = value
            case "agentToken": settings.agentToken = value
            case "silentAfter": settings.silentAfter = value
            case "otlpAgentFallback": settings.otlpAgentFallback = value
            case "telemetryRetention": settings.telemetryRetention = value
            case "idleTimeout": settings.idleTimeout = value
            case "forgetAgentsAfter": settings.forgetAgentsAfter = value
            case "deployCommand": settings.deployCommand = value
            case "deployTimeout": settings.deployTimeout = value
            case "deployBackoff": settings.deployBackoff = value
            case "deployConcurrency", "deployAttempts":
                guard let number = Int(value), number >= 1 else {
                    throw ConfigurationError("\(path)\(line): \(key) must be a whole number of at least 1, found '\(value)'")
                }
                if key == "deployConcurrency" { settings.deployConcurrency = number } else { settings.deployAttempts = number }
            case "heartbeatSeconds":
                guard let seconds = Int(value) else {
                    throw ConfigurationError("\(path)\(line): heartbeatSeconds must be a whole number of seconds, found '\(value)'")
                }
                settings.heartbeatSeconds = seconds
            default:
                guard !settings.prometheus.set(key, value) else { continue }
                throw ConfigurationError("\(path)\(line): unknown setting '\(key)'; the settings are \(fileKeys.joined(separator: ", "))")
            }
        }
        return settings
    }

    /// `agentTokens:`, a list of `{idPrefix: PREFIX, token: TOKEN}`.
    private static func scopedAgentTokens(_ node: Node, path: String, line: String) throws(ConfigurationError) -> [ScopedAgentToken] {
        let place = path + line
        let shape = "a list of {idPrefix: PREFIX, token: TOKEN}, one per group of agents"
        guard let entries = node.sequence else { throw ConfigurationError("\(place): agentTokens must be \(shape)") }
        var tokens: [ScopedAgentToken] = []
        for entry in entries {
            let entryPlace = entry.mark.map { "\(path):\($0.line)" } ?? place
            guard let mapping = entry.mapping else { throw ConfigurationError("\(entryPlace): agentTokens must be \(shape)") }
            var fields: [String: String] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                guard ["idPrefix", "token"].contains(name) else {
                    throw ConfigurationError("\(entryPlace): unknown field '\(name)' of an agent token; the fields are idPrefix and token")
                }
                guard let text = value.scalar?.string else { throw ConfigurationError("\(entryPlace): \(name) must be a single value") }
                fields[name] = text
            }
            guard let prefix = fields["idPrefix"], !prefix.isEmpty else {
                throw ConfigurationError("\(entryPlace): an agent token needs a non-empty idPrefix, the start of the agent ids it speaks for")
            }
            guard let token = fields["token"] else { throw ConfigurationError("\(entryPlace): the agent token for '\(prefix)' has no token") }
            tokens.append(ScopedAgentToken(idPrefix: prefix, token: token))
        }
        return tokens
    }

    /// These settings, with `fallback`'s wherever these have none.
    public func over(_ fallback: ServerSettings) -> ServerSettings {
        var merged = ServerSettings(
            database: database ?? fallback.database,
            listen: listen ?? fallback.listen,
            otlpListen: otlpListen ?? fallback.otlpListen,
            adminToken: adminToken ?? fallback.adminToken,
            agentToken: agentToken ?? fallback.agentToken,
            heartbeatSeconds: heartbeatSeconds ?? fallback.heartbeatSeconds,
            silentAfter: silentAfter ?? fallback.silentAfter,
            otlpAgentFallback: otlpAgentFallback ?? fallback.otlpAgentFallback,
            telemetryRetention: telemetryRetention ?? fallback.telemetryRetention
        )
        merged.prometheus = prometheus.over(fallback.prometheus)
        merged.idleTimeout = idleTimeout ?? fallback.idleTimeout
        merged.scopedAgentTokens = scopedAgentTokens ?? fallback.scopedAgentTokens
        merged.scopedAgentTokensVariable = scopedAgentTokensVariable ?? fallback.scopedAgentTokensVariable
        merged.forgetAgentsAfter = forgetAgentsAfter ?? fallback.forgetAgentsAfter
        merged.deployCommand = deployCommand ?? fallback.deployCommand
        merged.deployConcurrency = deployConcurrency ?? fallback.deployConcurrency
        merged.deployTimeout = deployTimeout ?? fallback.deployTimeout
        merged.deployBackoff = deployBackoff ?? fallback.deployBackoff
        merged.deployAttempts = deployAttempts ?? fallback.deployAttempts
        return merged
    }
}
