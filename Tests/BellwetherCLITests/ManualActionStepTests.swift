import BellwetherAPI
import BellwetherTestSupport
import Foundation
import Testing

/// `rollout promote --step N` against a real `serve`: a promote repeated for the step it was
/// meant for (a retry, a second terminal, a script run twice) changes nothing the second time.
@Suite struct ManualActionStepTests {
    @Test func aPromoteRepeatedForTheSameStepExitsOneAndPromotesOnce() async throws {
        let bellwether = try ProductProcess()
        let rollout = try await HaltedRollout(bellwether)
        defer { rollout.server.stop() }

        let first = try rollout.cli(bellwether, ["rollout", "promote", rollout.id, "--step", "1", "--reason", "verified by hand"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("progressing(step 2)"), "\(first.stdout)")

        let again = try rollout.cli(bellwether, ["rollout", "promote", rollout.id, "--step", "1"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("promote was for step 1, but the rollout is now progressing(step 2): nothing changed"), "\(again.stderr)")

        let now = try await rollout.get(RolloutView.self, "/api/v1/rollouts/\(rollout.id)")
        #expect(now.state.description == "progressing(step 2)")
        let events = try await rollout.get([AuditEventView].self, "/api/v1/rollouts/\(rollout.id)/events")
        #expect(events.filter { $0.kind == "promote" }.count == 1)
    }
}
