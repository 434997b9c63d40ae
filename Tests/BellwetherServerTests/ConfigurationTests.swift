import BellwetherServer
import BellwetherStore
import Foundation
import Testing

/// `bellwether serve`'s settings: flags over environment over file over defaults, validated.
@Suite struct ConfigurationTests {
    @Test func theDefaultsServeLocallyOnPort7070() throws {
        let configuration = try ServerConfiguration.resolve(flags: ServerSettings(), configFile: nil, environment: [:])
        #expect(configuration.databasePath == "./bellwether.db")
        #expect(configuration.listen.description == "127.0.0.1:7070")
        #expect(configuration.heartbeatSeconds == 15)
        #expect(configuration.silentAfter == 45)
        #expect(configuration.adminToken == nil)
    }

    @Test func withoutAnAdminTokenTheServerRefusesANonLoopbackAddress() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(
                flags: ServerSettings(listen: "0.0.0.0:7070"), configFile: nil, environment: ["BELLWETHER_AGENT_TOKEN": Self.agentToken]
            )
        }
        #expect(error?.message.contains("set BELLWETHER_ADMIN_TOKEN") == true)
        let configuration = try ServerConfiguration.resolve(
            flags: ServerSettings(listen: "0.0.0.0:7070"), configFile: nil,
            environment: ["BELLWETHER_ADMIN_TOKEN": "ops-6c1f8a3e9b2d4707", "BELLWETHER_AGENT_TOKEN": Self.agentToken]
        )
        #expect(configuration.adminToken == "ops-6c1f8a3e9b2d4707")
    }

    /// The OTLP receiver's running totals follow `--forget-agents-after` when it is under an hour,
    /// so a departed agent is forgotten everywhere at once; past an hour memory is bounded by the hour.
    @Test(arguments: [("10m", 600.0, 600.0), ("7d", 604_800.0, 3_600.0)])
    func theReceiverForgetsAgentsNoLaterThanTheFleet(setting: String, fleet: Double, receiver: Double) throws {
        var settings = ServerSettings()
        settings.forgetAgentsAfter = setting
        let configuration = try ServerConfiguration.resolve(flags: settings, configFile: nil, environment: [:])
        #expect(configuration.forgetSilentAgentsAfterSeconds == fleet)
        #expect(configuration.otlp.forgetAgentsAfterSeconds == receiver)
    }

    /// Agents' telemetry drives promotions and rollbacks: off loopback it needs a token as much as
    /// the operator API does, on the API's listener and on the OTLP one alike.
    @Test(arguments: [
        ServerSettings(listen: "0.0.0.0:7070"),
        ServerSettings(listen: "127.0.0.1:7070", otlpListen: "0.0.0.0:4318"),
    ])
    func withoutAnAgentTokenTheServerRefusesANonLoopbackAddress(settings: ServerSettings) throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(flags: settings, configFile: nil, environment: ["BELLWETHER_ADMIN_TOKEN": "ops-6c1f8a3e9b2d4707"])
        }
        #expect(error?.message.contains("without an agent token") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("set BELLWETHER_AGENT_TOKEN") == true)
        let configuration = try ServerConfiguration.resolve(
            flags: settings, configFile: nil,
            environment: ["BELLWETHER_ADMIN_TOKEN": "ops-6c1f8a3e9b2d4707", "BELLWETHER_AGENT_TOKEN": Self.agentToken]
        )
        #expect(configuration.agentToken == Self.agentToken)
    }

    /// A token a person made up is refused whichever address the server listens on.
    @Test(arguments: ["s3cret", "changeme-changeme", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "abcdabcdabcdabcdabcd"])
    func aGuessableTokenIsRefusedWithHowToMakeOne(token: String) {
        for settings in [ServerSettings(adminToken: token), ServerSettings(agentToken: token)] {
            let error = #expect(throws: ConfigurationError.self) {
                try ServerConfiguration.resolve(flags: settings, configFile: nil, environment: [:])
            }
            #expect(error?.message.contains("too easy to guess") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("openssl rand -hex 32") == true)
        }
    }

    @Test func aRandomTokenIsStrong() {
        #expect(TokenStrength("9f2c4e7a1b6d3f805e2a9c7b4d1f6e3a").isStrong)
        #expect(TokenStrength(Self.agentToken).isStrong)
        #expect(!TokenStrength("0123456789abcde").isStrong, "15 characters, however random, are too few")
    }

    static let agentToken = "agents-7b3e9d1c5a8f2046"

    @Test func buildingTheApplicationAlsoRefusesIt() async throws {
        var configuration = ServerConfiguration()
        configuration.listen = ListenAddress(host: "10.0.0.5", port: 7070)
        let components = ServerComponents(configuration: configuration, store: try .inMemory())
        #expect(throws: ConfigurationError.self) { _ = try buildApplication(configuration: configuration, components: components) }
    }

    @Test func flagsOverrideTheEnvironmentWhichOverridesTheFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bellwether-\(UUID().uuidString).yaml")
        try """
            db: /var/lib/bellwether/file.db
            listen: 127.0.0.1:9000
            otlpListen: 127.0.0.1:4318
            adminToken: file-admin-5d2b8e1f4a9c6037
            agentToken: file-agent-9e4c1a7d3b8f2065
            heartbeatSeconds: 10
            silentAfter: 1m
            otlpAgentFallback: host.name
            idleTimeout: 2m
            """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try ServerConfiguration.resolve(
            flags: ServerSettings(listen: "127.0.0.1:9001"), configFile: file.path,
            environment: ["BELLWETHER_ADMIN_TOKEN": "env-admin-2a7f5c9e1d4b8063", "BELLWETHER_AGENT_TOKEN": ""]
        )
        #expect(configuration.databasePath == "/var/lib/bellwether/file.db")
        #expect(configuration.listen.port == 9001)
        #expect(configuration.otlpListen?.port == 4318)
        #expect(configuration.adminToken == "env-admin-2a7f5c9e1d4b8063")
        #expect(configuration.agentToken == "file-agent-9e4c1a7d3b8f2065", "an empty variable counts as unset")
        #expect(configuration.heartbeatSeconds == 10)
        #expect(configuration.silentAfter == 60)
        #expect(configuration.otlp.attribution.fallbackAttribute == "host.name")
        #expect(configuration.connectionIdleTimeout == .seconds(120))
    }

    @Test(arguments: [
        (ServerSettings(listen: "7070"), "--listen '7070' has no port"),
        (ServerSettings(listen: "localhost:http"), "the port must be a number"),
        (ServerSettings(listen: "::1:7070"), "put an IPv6 host in brackets"),
        (ServerSettings(heartbeatSeconds: 0), "--heartbeat-seconds 0 is out of range"),
        (ServerSettings(heartbeatSeconds: 15, silentAfter: "15s"), "agents would count as silent between two heartbeats"),
        (ServerSettings(silentAfter: "45"), "--silent-after '45' is not a duration"),
        ({ var settings = ServerSettings(); settings.idleTimeout = "0s"; return settings }(), "--idle-timeout '0s' is not a duration of at least 1s"),
        (ServerSettings(adminToken: "shared-1f7c3a9e5b2d8064", agentToken: "shared-1f7c3a9e5b2d8064"), "give agents a token of their own"),
        (ServerSettings(adminToken: "has space"), "contain no spaces"),
        (ServerSettings(otlpAgentFallback: "host name"), "--otlp-agent-fallback 'host name' is not an attribute name"),
    ])
    func everyInvalidSettingIsRefusedWithWhatToWriteInstead(settings: ServerSettings, message: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(flags: settings, configFile: nil, environment: [:])
        }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test func anUnknownKeyInTheFileIsNamedWithItsLine() {
        let error = #expect(throws: ConfigurationError.self) {
            try ServerSettings.file(yaml: "listen: 127.0.0.1:7070\nlisten_port: 80\n", path: "serve.yaml")
        }
        #expect(error?.message.hasPrefix("serve.yaml:2: unknown setting 'listen_port'") == true, "\(error?.message ?? "")")
    }

    @Test func ipv6AndLoopbackAddressesAreRecognised() throws {
        let address = try ListenAddress(parsing: "[::1]:7070", option: "--listen")
        #expect(address.host == "::1")
        #expect(address.isLoopback)
        #expect(address.description == "[::1]:7070")
        #expect(try !ListenAddress(parsing: "0.0.0.0:7070", option: "--listen").isLoopback)
        #expect(try ListenAddress(parsing: "localhost:0", option: "--listen").isLoopback)
    }
}
