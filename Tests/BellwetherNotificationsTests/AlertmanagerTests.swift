import BellwetherCore
import BellwetherNotifications
import BellwetherStore
import Foundation
import Testing

/// Alerts pushed to a real Alertmanager fire while a rollout is unhealthy and resolve when it
/// recovers or finishes. Times are the wall clock's: Alertmanager compares them with its own.
@Suite(.serialized) struct AlertmanagerTests {
    @Test func aHaltFiresAnAlertWithItsLabelsAndAResumeResolvesIt() async throws {
        let alertmanager = try await Alertmanager()
        let store = try BellwetherStore.inMemory()
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let target = NotifyTarget.alertmanager(url: "http://127.0.0.1:\(alertmanager.port)")
        let dispatcher = NotificationDispatcher(
            store: store, transport: NotifyFixtures.transport, settings: NotificationSettings(dashboardURL: "http://bellwether.local"),
            logger: .init(label: "test")
        )

        try NotifyFixtures.start("am-rollout", notify: [target], in: store, at: now)
        _ = try store.recordEvaluation(NotifyFixtures.failingEvaluation(rolloutID: "am-rollout", at: now))
        try NotifyFixtures.apply(NotifyFixtures.checkFailed, to: "am-rollout", in: store, at: now)
        try dispatcher.enqueue()
        #expect(await dispatcher.deliverDue().delivered == 1)

        let firing = try await alertmanager.alerts()
        #expect(firing.count == 1)
        let alert = try #require(firing.first)
        let labels = try #require(alert["labels"] as? [String: String])
        #expect(labels == [
            "alertname": "BellwetherRollout", "rollout": "am-rollout", "policy": "enrichment-canary",
            "version": "2.4.0", "state": "halted", "severity": "critical",
        ])
        let annotations = try #require(alert["annotations"] as? [String: String])
        #expect(annotations["summary"]?.contains("halted at step 1/2") == true)
        #expect(annotations["description"]?.contains("canary 0.052") == true)
        #expect((alert["status"] as? [String: Any])?["state"] as? String == "active")
        #expect(alert["generatorURL"] as? String == "http://bellwether.local/?rollout=am-rollout")

        // When an operator resumes it, the halt resolves.
        try NotifyFixtures.apply(.manual(.resume, actor: "admin", reason: "false alarm"), to: "am-rollout", in: store, at: now, actor: "admin")
        try dispatcher.enqueue()
        #expect(await dispatcher.deliverDue().delivered == 1)
        #expect(try await alertmanager.alerts().isEmpty)

        // A rollback fires again; its completion leaves the rolled-back warning and nothing critical.
        try NotifyFixtures.apply(.checkFailed(check: "enrichment-failure-ratio", action: .rollback, evidence: "worse"), to: "am-rollout", in: store, at: now)
        try NotifyFixtures.apply(.rollbackConverged, to: "am-rollout", in: store, at: now)
        try dispatcher.enqueue()
        #expect(await dispatcher.drain().delivered == 2)
        let after = try await alertmanager.alerts().compactMap { $0["labels"] as? [String: String] }
        #expect(after.map { "\($0["state"]!) \($0["severity"]!)" } == ["rolled-back warning"])
    }
}
