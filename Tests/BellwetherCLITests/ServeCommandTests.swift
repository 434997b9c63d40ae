import BellwetherTestSupport
import Foundation
import Testing

/// `bellwether serve` and the client verbs, as an operator runs them: the real binary serving on
/// a port the system picks, driven by the real binary, with exit statuses per the interface.
@Suite struct ServeCommandTests {
    static let policy = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies/hotfix.yaml").path
    static let token = "cli-test-admin-token"

    let bellwether: ProductProcess

    init() throws {
        bellwether = try ProductProcess()
    }

    @Test func operatorsStartInspectSteerAndStopARolloutThroughTheCommandLine() async throws {
        let server = try RunningServer(bellwether, token: Self.token)
        defer { server.stop() }
        // Heartbeats before the fleet is loaded are refused with 503, as they should be.
        try await server.waitUntilReady()
        for id in ["a1", "a2", "a3"] { try await server.heartbeat(id: id, version: "2.3.1") }
        let admin = ["BELLWETHER_ADMIN_TOKEN": Self.token, "BELLWETHER_SERVER": server.url]
        func run(_ arguments: String...) throws -> ProductProcess.Result {
            try bellwether.run(arguments, environment: admin)
        }

        let started = try run("rollout", "start", "--policy", Self.policy, "--version", "2.4.0")
        #expect(started.status == 0, "\(started.stderr)")
        let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasPrefix("hotfix-"))

        let list = try run("rollout", "list")
        #expect(list.stdout.contains(id) && list.stdout.contains("2.3.1 → 2.4.0") && list.stdout.contains("progressing(step 1)"), "\(list.stdout)")

        let status = try run("rollout", "status")
        #expect(status.status == 0)
        #expect(status.stdout.contains("rollout   \(id) (policy hotfix)"), "\(status.stdout)")
        #expect(status.stdout.contains("checks    none reported yet"))

        let conflicting = try run("rollout", "start", "--policy", Self.policy, "--version", "2.5.0")
        #expect(conflicting.status == 1)
        #expect(conflicting.stderr.contains("rollout '\(id)' is still progressing"))

        let paused = try run("rollout", "pause", id, "--reason", "looking closer")
        #expect(paused.status == 0)
        #expect(paused.stdout.contains("\(id): halted(step 1)"))
        let pausedAgain = try run("rollout", "pause", id)
        #expect(pausedAgain.status == 1)
        #expect(pausedAgain.stderr.contains("it is already halted"))
        #expect(try run("rollout", "resume", id).stdout.contains("progressing(step 1)"))

        let agents = try run("agents", "list", "--version", "2.3.1", "--output", "json")
        let fleet = try #require(JSONSerialization.jsonObject(with: Data(agents.stdout.utf8)) as? [[String: Any]])
        #expect(fleet.compactMap { $0["id"] as? String } == ["a1", "a2", "a3"])

        let aborted = try run("rollout", "abort", id, "--output", "json")
        let rollout = try #require(JSONSerialization.jsonObject(with: Data(aborted.stdout.utf8)) as? [String: Any])
        #expect((rollout["state"] as? [String: Any])?["phase"] as? String == "aborted")

        let report = try run("rollout", "report", id)
        #expect(report.stdout.contains("| pause | progressing(step 1) → halted(step 1) | admin |"), "\(report.stdout)")

        #expect(try server.terminate() == 0, "SIGTERM shuts the server down gracefully")
    }

    @Test func badInputExitsTwoAndFailedOperationsExitOne() async throws {
        let server = try RunningServer(bellwether, token: Self.token)
        defer { server.stop() }
        let policy = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml").path
        try "name: p\nsteps:\n  - {cohort: all, percent: ten}\nanalysis: {checks: []}\n".write(toFile: policy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: policy) }
        let admin = ["BELLWETHER_ADMIN_TOKEN": Self.token]

        let invalid = try bellwether.run(["rollout", "start", "--policy", policy, "--version", "1", "--server", server.url], environment: admin)
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("\(policy):3:28: error: steps[0].percent: must be a number, found 'ten'"), "\(invalid.stderr)")

        let unknown = try bellwether.run(["rollout", "status", "nope", "--server", server.url], environment: admin)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no rollout with id 'nope'"))

        let noToken = try bellwether.run(["rollout", "list", "--server", server.url], environment: ["BELLWETHER_ADMIN_TOKEN": ""])
        #expect(noToken.status == 1)
        #expect(noToken.stderr.contains("set BELLWETHER_ADMIN_TOKEN"))

        let noActive = try bellwether.run(["rollout", "status", "--server", server.url], environment: admin)
        #expect(noActive.status == 1)
        #expect(noActive.stderr.contains("no rollout is active"))
    }

    @Test func anUnreachableServerIsAFailedOperationThatSaysSo() throws {
        let result = try bellwether.run(["rollout", "list", "--server", "http://127.0.0.1:1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot reach the Bellwether server at http://127.0.0.1:1"))
    }

    /// A peer that cuts its answer short ends the command with the reason, not a crash.
    @Test func aServerThatResetsMidAnswerIsAFailedOperationThatSaysSo() async throws {
        let receiver = try await HostileReceiver.start(.reset)
        let result = try bellwether.run(["rollout", "list", "--server", receiver.url])
        await receiver.stop()
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot reach the Bellwether server at \(receiver.url)"), "\(result.stderr)")
        #expect(result.stderr.contains("reset before the answer was complete"), "\(result.stderr)")
    }

    @Test func serveRefusesANonLoopbackAddressWithoutAnAdminToken() throws {
        let result = try bellwether.run(["serve", "--listen", "0.0.0.0:0", "--db", "/nonexistent/never-opened.db"], environment: ["BELLWETHER_ADMIN_TOKEN": ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains("refusing to serve the operator API on 0.0.0.0:0"), "\(result.stderr)")
    }
}
