import BellwetherServer
import Foundation
import Testing

/// `agentTokens:` in the `--config` file: tokens that speak only for some agents, checked like
/// every other token, and enough on their own to serve agents off loopback.
@Suite struct ScopedAgentTokenConfigurationTests {
    static let admin = "ops-6c1f8a3e9b2d4707"
    static let eu = "eu-agents-9f3c71a2d84b6e05"
    static let us = "us-agents-2e8b4d6f1a9c7350"

    static func resolve(_ yaml: String, listen: String = "0.0.0.0:7070") throws(ConfigurationError) -> ServerConfiguration {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString).yaml")
        try? yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try ServerConfiguration.resolve(flags: ServerSettings(listen: listen), configFile: file.path, environment: ["BELLWETHER_ADMIN_TOKEN": admin])
    }

    @Test func scopedTokensAloneLetTheServerTakeAgentsOffLoopback() throws {
        let configuration = try Self.resolve("""
            agentTokens:
              - {idPrefix: eu-, token: \(Self.eu)}
              - {idPrefix: us-, token: \(Self.us)}
            """)
        #expect(configuration.scopedAgentTokens == [ScopedAgentToken(idPrefix: "eu-", token: Self.eu), ScopedAgentToken(idPrefix: "us-", token: Self.us)])
        #expect(configuration.agentToken == nil)
    }

    @Test(arguments: [
        ("agentTokens: eu-\n", "serve.yaml:1: agentTokens must be a list of {idPrefix: PREFIX, token: TOKEN}"),
        ("agentTokens:\n  - {token: \(eu)}\n", "serve.yaml:2: an agent token needs a non-empty idPrefix"),
        ("agentTokens:\n  - {idPrefix: eu-}\n", "serve.yaml:2: the agent token for 'eu-' has no token"),
        ("agentTokens:\n  - {idPrefix: eu-, token: \(eu), region: eu}\n", "serve.yaml:2: unknown field 'region' of an agent token"),
    ])
    func aMalformedListIsNamedWithItsLine(yaml: String, message: String) {
        let error = #expect(throws: ConfigurationError.self) { try ServerSettings.file(yaml: yaml, path: "serve.yaml") }
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
    }

    @Test func theEnvironmentsListWinsOverTheFilesAndAMalformedOneIsRefused() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString).yaml")
        try "agentTokens:\n  - {idPrefix: eu-, token: \(Self.eu)}\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let environment = ["BELLWETHER_ADMIN_TOKEN": Self.admin, "BELLWETHER_AGENT_TOKENS": "us-=\(Self.us), ap-=\(Self.eu)"]
        let configuration = try ServerConfiguration.resolve(flags: ServerSettings(listen: "0.0.0.0:7070"), configFile: file.path, environment: environment)
        #expect(configuration.scopedAgentTokens == [ScopedAgentToken(idPrefix: "us-", token: Self.us), ScopedAgentToken(idPrefix: "ap-", token: Self.eu)])
        let error = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(flags: ServerSettings(), configFile: nil, environment: ["BELLWETHER_AGENT_TOKENS": Self.us])
        }
        #expect(error?.message.contains("is not PREFIX=TOKEN") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(Self.us) == false, "a refused token is not echoed whole")
    }

    @Test func aWeakOrRepeatedScopedTokenIsRefused() {
        let weak = #expect(throws: ConfigurationError.self) { try Self.resolve("agentTokens:\n  - {idPrefix: eu-, token: changeme-changeme}\n") }
        #expect(weak?.message.contains("agent token for 'eu-' (agentTokens) is too easy to guess") == true, "\(weak?.message ?? "")")
        let repeated = #expect(throws: ConfigurationError.self) {
            try Self.resolve("agentTokens:\n  - {idPrefix: eu-, token: \(Self.eu)}\n  - {idPrefix: us-, token: \(Self.eu)}\n")
        }
        #expect(repeated?.message.contains("used twice") == true, "\(repeated?.message ?? "")")
        let admin = #expect(throws: ConfigurationError.self) { try Self.resolve("agentTokens:\n  - {idPrefix: eu-, token: \(Self.admin)}\n") }
        #expect(admin?.message.contains("is the admin or the fleet's agent token") == true, "\(admin?.message ?? "")")
    }
}
