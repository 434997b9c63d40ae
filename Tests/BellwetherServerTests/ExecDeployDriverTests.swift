import BellwetherCore
import BellwetherServer
import BellwetherStore
import Foundation
import Synchronization
import Testing

/// The exec deploy driver with real scripts: arguments reach the program literally, output and
/// outcome land beside the rollout's audit log, failures are retried with backoff, a hung command
/// is killed at its timeout, and agents already on the version are left alone.
@Suite struct ExecDeployDriverTests {
    let directory: URL
    let store: BellwetherStore
    let rolloutID: String

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = try await ServerHarness()
        rolloutID = try await server.test { client in
            _ = try await client.heartbeat("a1")
            return try await client.startRollout().decode(RolloutIDOnly.self).id
        }
        store = server.store
    }

    struct RolloutIDOnly: Decodable { var id: String }

    /// A script in the test's directory; `$DIR` in `body` is that directory.
    func script(_ name: String, _ body: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try "#!/usr/bin/env bash\nDIR='\(directory.path)'\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    func driver(_ template: String, reported: [String: String] = [:], configure: (inout DeploySettings) -> Void = { _ in }) throws -> ExecDeployDriver {
        var settings = DeploySettings()
        settings.backoff = .milliseconds(1)
        configure(&settings)
        return ExecDeployDriver(
            command: try DeployCommandTemplate(template), settings: settings, store: store,
            reportedVersion: { reported[$0] }, now: { Date(timeIntervalSince1970: 1_800_000_000) }
        )
    }

    func assignment(_ version: String) -> AgentAssignment {
        AgentAssignment(desiredVersion: version, artifact: Artifact(url: "https://example.com/a b.tgz", sha256: String(repeating: "ab", count: 32)), rolloutID: rolloutID, cohort: "canary")
    }

    @Test func argumentsReachTheProgramLiterallyAndTheOutputIsKept() async throws {
        let path = try script("record.sh", #"printf '%s\n' "$@" > "$DIR/args"; echo "deploying $2 to $1""#)
        let hostile = "a1; touch \(directory.path)/pwned $(touch \(directory.path)/pwned2)"
        let deploy = try driver("\(path) {agent} {version} '{url}' {sha256} --cohort={cohort}")
        await deploy.enqueue([hostile: assignment("2.4.0")])
        await deploy.waitUntilIdle()

        let arguments = try String(contentsOfFile: directory.appendingPathComponent("args").path, encoding: .utf8)
        #expect(arguments == [hostile, "2.4.0", "https://example.com/a b.tgz", String(repeating: "ab", count: 32), "--cohort=canary"].joined(separator: "\n") + "\n")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("pwned").path))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("pwned2").path))
        let runs = try store.deployRuns(rolloutID: rolloutID)
        #expect(runs.map(\.outcome) == [.exited])
        #expect(runs.first?.output == "deploying 2.4.0 to \(hostile)\n")
        #expect(runs.first?.agent == hostile && runs.first?.attempt == 1)
    }

    @Test func aFailingCommandIsRetriedAndEachAttemptRecorded() async throws {
        let path = try script("flaky.sh", #"n=$(cat "$DIR/count" 2>/dev/null || echo 0); echo $((n + 1)) > "$DIR/count"; [ "$n" -ge 1 ] || { echo "ssh: connect refused" >&2; exit 3; }; echo ok"#)
        let deploy = try driver("\(path) {agent}") { $0.attempts = 3 }
        await deploy.enqueue(["a1": assignment("2.4.0")])
        await deploy.waitUntilIdle()
        let runs = try store.deployRuns(rolloutID: rolloutID)
        #expect(runs.map(\.outcome) == [.failed, .exited])
        #expect(runs.map(\.exitCode) == [3, 0])
        #expect(runs.map(\.attempt) == [1, 2])
        #expect(runs.first?.output == "ssh: connect refused\n")
    }

    @Test func aHungCommandIsKilledAtItsTimeoutAndRetriedUpToItsAttempts() async throws {
        let path = try script("hang.sh", #"echo started; sleep 600 & wait"#)
        let deploy = try driver("\(path) {agent}") {
            $0.timeout = .milliseconds(200)
            $0.attempts = 2
        }
        await deploy.enqueue(["a1": assignment("2.4.0")])
        await deploy.waitUntilIdle()
        let runs = try store.deployRuns(rolloutID: rolloutID)
        #expect(runs.map(\.outcome) == [.timedOut, .timedOut])
        #expect(runs.allSatisfy { $0.output == "started\n" && $0.exitCode == nil })
    }

    @Test func agentsAlreadyOnTheVersionAndKeepWhatYouRunNeedNoCommand() async throws {
        let path = try script("never.sh", #"touch "$DIR/ran""#)
        let deploy = try driver("\(path) {agent}", reported: ["a1": "2.4.0"])
        await deploy.enqueue(["a1": assignment("2.4.0"), "a2": AgentAssignment(desiredVersion: nil)])
        await deploy.waitUntilIdle()
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("ran").path))
        #expect(try store.deployRuns(rolloutID: rolloutID).isEmpty)
    }

    @Test func aMissingProgramIsRecordedAsNotStarted() async throws {
        let deploy = try driver("\(directory.path)/no-such-driver {agent}") { $0.attempts = 1 }
        await deploy.enqueue(["a1": assignment("2.4.0")])
        await deploy.waitUntilIdle()
        let runs = try store.deployRuns(rolloutID: rolloutID)
        #expect(runs.map(\.outcome) == [.notStarted])
        #expect(runs.first?.output.contains("No such file") == true, "\(runs)")
    }

    @Test func templatesAreCheckedWhenRead() throws {
        #expect(try DeployCommandTemplate(#"drivers/x.sh "{agent} and more" '{version}'"#).words == ["drivers/x.sh", "{agent} and more", "{version}"])
        #expect(throws: DeployCommandError.self) { try DeployCommandTemplate("x.sh {host}") }
        #expect(throws: DeployCommandError.self) { try DeployCommandTemplate("x.sh 'unclosed") }
        #expect(throws: DeployCommandError.self) { try DeployCommandTemplate("   ") }
        let longest = "x.sh " + String(repeating: "a", count: DeployCommandTemplate.maxBytes - 5)
        #expect(try DeployCommandTemplate(longest).words.count == 2)
        let error = #expect(throws: DeployCommandError.self) { try DeployCommandTemplate(longest + "a") }
        #expect(error?.message.contains("4097 bytes long, past the limit of 4096") == true, "\(error?.message ?? "")")
    }

    @Test func theShippedSSHDriverRefusesArgumentsItCannotQuoteSafely() throws {
        let driver = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/drivers/ssh-systemd.sh").path
        func run(_ arguments: [String]) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: driver)
            process.arguments = arguments
            process.environment = ["BELLWETHER_DRY_RUN": "1", "PATH": "/usr/bin:/bin"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        let sha = String(repeating: "ab", count: 32)
        let (ok, command) = try run(["host-1", "2.4.0", "https://example.com/a.tgz?x=$(id)", sha])
        #expect(ok == 0)
        #expect(command.contains(#"https://example.com/a.tgz\?x=\$\(id\)"#), "quoted again for the remote shell: \(command)")
        #expect(try run(["host-1; reboot", "2.4.0", "https://example.com/a.tgz", sha]).0 == 2)
        #expect(try run(["host-1", "2.4.0", "https://example.com/a.tgz", "not-hex"]).0 == 2)
    }
}
