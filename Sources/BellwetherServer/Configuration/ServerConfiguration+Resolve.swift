import BellwetherCore
import Foundation

extension ServerConfiguration {
    /// The configuration `bellwether serve` runs with: flags over the environment over the
    /// `--config` file over the defaults, validated as a whole.
    public static func resolve(
        flags: ServerSettings,
        configFile: String?,
        environment: [String: String]
    ) throws(ConfigurationError) -> ServerConfiguration {
        var file = ServerSettings()
        if let configFile {
            let yaml: String
            do {
                yaml = try String(contentsOfFile: configFile, encoding: .utf8)
            } catch {
                throw ConfigurationError("--config \(configFile): cannot be read (\((error as NSError).localizedDescription)); check the path")
            }
            file = try ServerSettings.file(yaml: yaml, path: configFile)
        }
        let settings = flags.over(ServerSettings.environment(environment)).over(file)
        var configuration = ServerConfiguration()
        try configuration.apply(settings)
        try configuration.validate()
        return configuration
    }

    /// Takes every setting that is present, parsing each into its typed form.
    mutating func apply(_ settings: ServerSettings) throws(ConfigurationError) {
        if let database = settings.database { databasePath = database }
        if let listen = settings.listen { self.listen = try ListenAddress(parsing: listen, option: "--listen") }
        if let otlp = settings.otlpListen { otlpListen = try ListenAddress(parsing: otlp, option: "--otlp-listen") }
        adminToken = settings.adminToken ?? adminToken
        agentToken = settings.agentToken ?? agentToken
        if let variable = settings.scopedAgentTokensVariable {
            scopedAgentTokens = try Self.scopedAgentTokens(variable)
        } else if let listed = settings.scopedAgentTokens {
            scopedAgentTokens = listed
        }
        if let heartbeat = settings.heartbeatSeconds { heartbeatSeconds = heartbeat }
        if let fallback = settings.otlpAgentFallback {
            guard !fallback.isEmpty, !fallback.contains(where: \.isWhitespace) else {
                throw ConfigurationError("--otlp-agent-fallback '\(fallback)' is not an attribute name: name one such as host.name")
            }
            otlp.attribution.fallbackAttribute = fallback
        }
        prometheus = try settings.prometheus.resolved() ?? prometheus
        try applyDeploy(settings)
        if let silent = settings.silentAfter {
            guard let seconds = DurationParser.seconds(silent), seconds > 0 else {
                throw ConfigurationError("--silent-after '\(silent)' is not a duration: \(DurationParser.hint) (default: 3 heartbeats)")
            }
            silentAfterSeconds = seconds
        }
        if let retention = settings.telemetryRetention {
            guard let seconds = DurationParser.seconds(retention), seconds > 0 else {
                throw ConfigurationError("--telemetry-retention '\(retention)' is not a duration: \(DurationParser.hint) (default: 6h)")
            }
            telemetryRetentionSeconds = seconds
        }
        if let forget = settings.forgetAgentsAfter {
            guard let seconds = DurationParser.seconds(forget), seconds > 0 else {
                throw ConfigurationError("--forget-agents-after '\(forget)' is not a duration: \(DurationParser.hint) (default: 7d)")
            }
            forgetSilentAgentsAfterSeconds = seconds
            // Running totals in memory never outlive the agent in the registry; an hour bounds them
            // when the registry keeps agents longer.
            otlp.forgetAgentsAfterSeconds = min(otlp.forgetAgentsAfterSeconds, seconds)
        }
        if let idle = settings.idleTimeout {
            guard let seconds = DurationParser.seconds(idle), seconds >= 1 else {
                throw ConfigurationError("--idle-timeout '\(idle)' is not a duration of at least 1s: \(DurationParser.hint) (default: 30s)")
            }
            connectionIdleTimeout = .milliseconds(Int64((seconds * 1_000).rounded()))
        }
    }
}

extension ServerConfiguration {
    /// `BELLWETHER_AGENT_TOKENS`: `PREFIX=TOKEN` entries separated by commas.
    static func scopedAgentTokens(_ variable: String) throws(ConfigurationError) -> [ScopedAgentToken] {
        var tokens: [ScopedAgentToken] = []
        for entry in variable.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let equals = entry.lastIndex(of: "="), equals != entry.startIndex, entry.index(after: equals) != entry.endIndex else {
                throw ConfigurationError("BELLWETHER_AGENT_TOKENS: '\(entry.prefix(12))…' is not PREFIX=TOKEN; write eu-=TOKEN,us-=TOKEN")
            }
            tokens.append(ScopedAgentToken(idPrefix: String(entry[..<equals]), token: String(entry[entry.index(after: equals)...])))
        }
        return tokens
    }
}
