@testable import BellwetherCLI
import BellwetherAPI
import BellwetherCore
import BellwetherTestSupport
import Foundation
import Testing

/// `bellwether rollout watch`: its view of a recorded rollout against a plain-text snapshot, and
/// the real command following a real manual-clock rollout to its end.
@Suite struct RolloutWatchTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/watch")

    /// The API's three answers for a rollout halted at step 1 by a failing check, recorded from
    /// a `HaltedRollout` run (Tests/Fixtures/watch/halted-*.json).
    static func recordedState() throws -> WatchState {
        func load<Value: Decodable>(_ name: String, as type: Value.Type) throws -> Value {
            try APICoding.decoder().decode(type, from: Data(contentsOf: fixtures.appendingPathComponent("halted-\(name).json")))
        }
        return WatchState(
            health: try load("health", as: RolloutHealthView.self),
            evaluations: try load("evaluations", as: [RolloutEvaluation].self),
            events: try load("events", as: [AuditEventView].self)
        )
    }

    @Test func theViewOfARecordedHaltedRolloutMatchesItsSnapshot() throws {
        let state = try Self.recordedState()
        let shown = WatchView(colour: false).lines(state).joined(separator: "\n") + "\n"
        let snapshot = try String(contentsOf: Self.fixtures.appendingPathComponent("halted.txt"), encoding: .utf8)
        #expect(shown == snapshot, "to accept a deliberate change, write the new view to Tests/Fixtures/watch/halted.txt:\n\(shown)")
        #expect(state.isFinished && state.exitStatus == 1)
    }

    /// The controller can halt without the deciding boundary among the recorded evaluations; the
    /// watch then shows the decision the audit log records, never none.
    @Test func withoutTheDecidingEvaluationTheDecisionComesFromTheAuditLog() throws {
        let recorded = try Self.recordedState()
        let events = try APICoding.decoder().decode([AuditEventView].self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("halted-events.json")))
        let state = WatchState(health: recorded.health, evaluations: [], events: events)
        let decision = try #require(state.decision)
        #expect(decision.decision == .halt)
        #expect(decision.check == HaltedRollout.check)
        #expect(decision.reason == events.last?.reason)
    }

    @Test func onATerminalTheSameLinesAreColouredAndPipedTheyHaveNoEscapeCodes() throws {
        let state = try Self.recordedState()
        let plain = WatchView(colour: false).lines(state)
        let coloured = WatchView(colour: true).lines(state)
        #expect(!plain.joined().contains("\u{1B}"))
        #expect(coloured.joined().contains("\u{1B}[31mfail\u{1B}[0m"), "a failing verdict is red on a terminal")
        let stripped = coloured.map { $0.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) }
        #expect(stripped == plain, "colour changes nothing but colour")
    }

    @Test func watchFollowsALiveRolloutUntilItHaltsThenExitsOne() async throws {
        let bellwether = try ProductProcess()
        var rollout = try await HaltedRollout(bellwether) { _, _ in true }
        defer { rollout.server.stop() }
        let (watch, output) = try bellwether.start(
            ["rollout", "watch", "--interval", "0.2"],
            environment: ["BELLWETHER_SERVER": rollout.server.url, "BELLWETHER_ADMIN_TOKEN": HaltedRollout.adminToken]
        )
        defer { if watch.isRunning { watch.terminate() } }
        var lines = LineReader(output)
        // The first frame is on screen before the rollout moves on: the watch found it without an id.
        var first: [String] = []
        while let line = lines.next(), !line.isEmpty { first.append(line) }
        #expect(first.first?.hasPrefix("rollout \(rollout.id) ") == true, "\(first)")

        for _ in 0..<120 {
            let advance = try await rollout.fleet.tick(on: rollout.server)
            if advance.rollouts[rollout.id]?.hasPrefix("halted") == true { break }
        }
        let rest = lines.rest()
        watch.waitUntilExit()
        #expect(watch.terminationStatus == 1, "a halted rollout ends the watch with status 1")
        let text = (first + rest).joined(separator: "\n")
        #expect(!text.contains("\u{1B}"), "piped output has no escape codes")
        #expect(text.contains("cohorts canary (canary): 8 assigned, 8 converged on 2.0.0, 0 silent"), "\(text)")
        #expect(text.contains("decision halt (\(HaltedRollout.check))"), "\(text)")
        #expect(rest.last(where: { !$0.isEmpty }) == "rollout halted: it waits for a human to resume, promote, roll back or abort it", "\(rest.suffix(3))")
    }

    @Test func jsonWatchIsAStreamOfJSONLinesAndACompletedRolloutExitsZero() async throws {
        let bellwether = try ProductProcess()
        let rollout = try await HaltedRollout(bellwether)
        defer { rollout.server.stop() }
        try rollout.promoteToCompletion(bellwether)
        let watched = try rollout.cli(bellwether, ["rollout", "watch", rollout.id, "--output", "json"])
        #expect(watched.status == 0, "a completed rollout ends the watch with status 0: \(watched.stderr)")
        let objects = try watched.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
        let states = objects.compactMap { $0["state"] as? [String: Any] }
        let health = try #require(states.last?["health"] as? [String: Any])
        let shown = try #require(health["rollout"] as? [String: Any])
        #expect((shown["state"] as? [String: Any])?["phase"] as? String == "completed")
        let events = try #require(states.last?["events"] as? [[String: Any]])
        #expect(events.map { $0["kind"] as? String } == ["agents-converged", "check-failed", "promote", "promote", "promote"], "the latest audit events")
    }
}
