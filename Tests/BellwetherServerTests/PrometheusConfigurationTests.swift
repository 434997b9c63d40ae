import BellwetherPrometheus
import BellwetherServer
import Foundation
import Testing

/// The Prometheus metric source's settings: `--prometheus-url`, the `prometheus…` keys of a
/// config file, the authorization from the environment; refused with what to write instead.
@Suite struct PrometheusConfigurationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tokens = ["BELLWETHER_ADMIN_TOKEN": "prom-admin-3e8b1f6c9d2a7054", "BELLWETHER_AGENT_TOKEN": "prom-agent-6a2d9c4f1e7b8035"]

    @Test func withoutAURLTheEmbeddedStoreIsTheSource() throws {
        let configuration = try ServerConfiguration.resolve(flags: ServerSettings(), configFile: nil, environment: [:])
        #expect(configuration.prometheus == nil)
    }

    @Test func theDeployedConfigFileReadsPrometheusWithTheCollectorsLabels() throws {
        let path = Self.repository.appendingPathComponent("deploy/config/bellwether.yaml").path
        let configuration = try ServerConfiguration.resolve(
            flags: ServerSettings(), configFile: path,
            environment: Self.tokens.merging(["BELLWETHER_PROMETHEUS_AUTHORIZATION": "Bearer from-a-secret"]) { $1 }
        )
        let prometheus = try #require(configuration.prometheus)
        #expect(prometheus.baseURL.absoluteString == "http://prometheus:9090")
        #expect(prometheus.authorization == "Bearer from-a-secret")
        #expect(prometheus.timeoutSeconds == 10)
        #expect(prometheus.stepSeconds == 5)
        #expect(prometheus.agentLabel == "service_instance_id")
        #expect(prometheus.versionLabel == "service_version")
        #expect(prometheus.spanCallsMetric == "traces_span_metrics_calls_total")
    }

    @Test func theFlagOverridesTheFileWhoseOtherKeysStay() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("prom-\(UUID().uuidString).yaml")
        try "prometheusURL: http://prometheus:9090\nprometheusAgentLabel: instance\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var flags = ServerSettings()
        flags.prometheus.url = "https://thanos.example.com/prefix"
        let configuration = try ServerConfiguration.resolve(flags: flags, configFile: file.path, environment: [:])
        #expect(configuration.prometheus?.baseURL.absoluteString == "https://thanos.example.com/prefix")
        #expect(configuration.prometheus?.agentLabel == "instance")
    }

    @Test(arguments: [
        ("prometheusURL: prometheus:9090", "is not an http(s) URL"),
        ("prometheusURL: http://p:9090\nprometheusTimeout: soon", "prometheusTimeout 'soon' is not a duration"),
        ("prometheusURL: http://p:9090\nprometheusAgentLabel: service.instance.id", "is not a Prometheus name"),
        ("prometheusTimeout: 5s", "without prometheusURL"),
    ])
    func badSettingsSayWhatToWriteInstead(yaml: String, message: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("prom-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let error = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(flags: ServerSettings(), configFile: file.path, environment: [:])
        }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    /// Every file in deploy/ is checked by its tool's validator (scripts/check-deploy), and a file
    /// no validator covers fails the check.
    @Test func everyDeployFileIsValidatedByItsTool() throws {
        let process = Process()
        process.executableURL = Self.repository.appendingPathComponent("scripts/check-deploy")
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains(", 0 problems"))
    }
}
