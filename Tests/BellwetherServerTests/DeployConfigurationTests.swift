import BellwetherCore
import BellwetherServer
import BellwetherStore
import BellwetherTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The exec deploy driver as `serve` configures and wires it: settings from the `--config` file,
/// and commands run when the control loop changes an agent's desired version.
@Suite struct DeployConfigurationTests {
    @Test func theDeploySettingsComeFromTheConfigFile() throws {
        let settings = try ServerSettings.file(yaml: """
            deployCommand: deploy/drivers/ssh-systemd.sh {agent} {version} {url} {sha256}
            deployConcurrency: 8
            deployTimeout: 2m
            deployBackoff: 30s
            deployAttempts: 5
            """, path: "serve.yaml")
        let configuration = try ServerConfiguration.resolve(flags: settings, configFile: nil, environment: [:])
        #expect(configuration.deploy.command?.words == ["deploy/drivers/ssh-systemd.sh", "{agent}", "{version}", "{url}", "{sha256}"])
        #expect(configuration.deploy.concurrency == 8)
        #expect(configuration.deploy.timeout == .seconds(120))
        #expect(configuration.deploy.backoff == .seconds(30))
        #expect(configuration.deploy.attempts == 5)
    }

    @Test(arguments: [
        ("deployConcurrency: 0", "deployConcurrency must be a whole number of at least 1"),
        ("deployTimeout: 5", "deployTimeout '5' is not a duration"),
        ("deployCommand: x.sh {host}", "unknown placeholder {host}"),
    ])
    func badDeploySettingsSayWhatToWrite(yaml: String, message: String) {
        let error = #expect(throws: ConfigurationError.self) {
            let settings = try ServerSettings.file(yaml: yaml, path: "serve.yaml")
            _ = try ServerConfiguration.resolve(flags: settings, configFile: nil, environment: [:])
        }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    /// The controller assigns a rollout's canary; the driver runs for the canary agent told the new
    /// version and not for the baseline, told to keep the version it runs.
    @Test func theControlLoopsAssignmentsRunTheCommandForAgentsThatMustChange() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deploy-wired-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = directory.appendingPathComponent("deploy.sh").path
        try "#!/usr/bin/env bash\necho \"$1 -> $2\"\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)

        var configuration = ServerConfiguration()
        configuration.deploy.command = try DeployCommandTemplate("\(script) {agent} {version}")
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        let store = try BellwetherStore.inMemory()
        var components = ServerComponents.controller(configuration: configuration, store: store, clock: clock, http: TestHTTP.client)
        // A fixed id fixes the cohorts, which are drawn from it: the canary is never empty by chance.
        components.newRolloutID = { _ in "wired-1" }
        try await components.fleet.load()
        for index in 0..<20 {
            _ = try await components.fleet.heartbeat(AgentHeartbeat(id: "a\(index)", version: "1.0.0", labels: ["role": "collector"]), at: clock.now)
        }
        try await components.fleet.flush()
        let rolloutID = try await Application(router: buildRouter(configuration: configuration, components: components)).test(.router) { client in
            try await client.startRollout().decode(ExecDeployDriverTests.RolloutIDOnly.self).id
        }
        _ = try await components.clock?.advance(1)
        let deploy = try #require(components.deploy)
        await deploy.waitUntilIdle()

        let canary = await components.fleet.snapshot().filter { $0.assignment?.desiredVersion == "2.4.0" }.map(\.agent.id)
        let runs = try store.deployRuns(rolloutID: rolloutID)
        #expect(!canary.isEmpty)
        #expect(runs.map(\.agent).sorted() == canary.sorted(), "only the canary, told a new version, is deployed to")
        #expect(runs.allSatisfy { $0.outcome == .exited && $0.output == "\($0.agent) -> 2.4.0\n" })
    }
}
