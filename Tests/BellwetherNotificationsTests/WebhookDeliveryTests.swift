import BellwetherCore
import BellwetherNotifications
import BellwetherStore
import Foundation
import Testing

/// Every kind of notice reaches a real HTTP receiver, signed: the receiver checks each signature
/// with Python's hmac module, independently of the controller's implementation.
@Suite struct WebhookDeliveryTests {
    static let settings = NotificationSettings(
        dashboardURL: "https://bellwether.example/", environment: ["SLACK_HOOK_SECRET": "slack-secret"]
    )

    @Test func everyEventKindArrivesSignedWithItsEvidence() async throws {
        let receiver = try await WebhookReceiver(arguments: ["--secret", "policy-secret", "--path-secret", "/slack=slack-secret"])
        let store = try BellwetherStore.inMemory()
        let json = NotifyTarget.webhook(url: receiver.url("/json"), secret: "policy-secret", format: .json)
        let slack = NotifyTarget.webhook(url: receiver.url("/slack"), secret: nil, secretEnv: "SLACK_HOOK_SECRET", format: .slack)
        let t = NotifyFixtures.t0

        // Given a rollout that halts on a failing check, is resumed, paused, promoted and rolled
        // back by an operator; one that completes; one that is aborted.
        try NotifyFixtures.start("halting", notify: [json, slack], in: store)
        _ = try store.recordEvaluation(NotifyFixtures.failingEvaluation(rolloutID: "halting", at: t.addingTimeInterval(60)))
        try NotifyFixtures.apply(NotifyFixtures.checkFailed, to: "halting", in: store, at: t.addingTimeInterval(60))
        for (offset, action) in [ManualAction.resume, .pause, .promote, .rollback].enumerated() {
            try NotifyFixtures.apply(.manual(action, actor: "admin", reason: "by hand"), to: "halting", in: store, at: t.addingTimeInterval(Double(120 + offset)), actor: "admin")
        }
        try NotifyFixtures.apply(.rollbackConverged, to: "halting", in: store, at: t.addingTimeInterval(200))
        try NotifyFixtures.start("completing", notify: [json], in: store)
        try NotifyFixtures.apply(.stepBaked(step: 0), to: "completing", in: store, at: t.addingTimeInterval(900))
        try NotifyFixtures.apply(.stepBaked(step: 1), to: "completing", in: store, at: t.addingTimeInterval(901))
        try NotifyFixtures.start("aborting", notify: [json], in: store)
        try NotifyFixtures.apply(.manual(.abort, actor: "admin", reason: nil), to: "aborting", in: store, at: t.addingTimeInterval(5), actor: "admin")

        // When the outbox is drained.
        let dispatcher = NotificationDispatcher(store: store, transport: NotifyFixtures.transport, settings: Self.settings, logger: .init(label: "test"))
        #expect(try dispatcher.enqueue() == 14)
        let report = await dispatcher.drain()
        #expect(report.delivered == 14)
        let requests = try await receiver.stop(expecting: 14)

        // Then each arrived once, signed, and says what happened.
        #expect(requests.count == 14)
        #expect(requests.allSatisfy { $0.signature == "valid" })
        let notices = requests.filter { $0.path == "/json" }.map(\.json)
        let seen = Set(notices.map { "\($0["rollout"]!) \($0["event"]!) \($0["state"]!)" })
        #expect(seen == [
            "halting check-failed halted", "halting resume progressing", "halting pause halted", "halting promote progressing",
            "halting rollback rolling-back", "halting rollback-converged rolled-back",
            "completing step-baked completed", "aborting abort aborted",
        ])
        let halt = try #require(notices.first { $0["event"] as? String == "check-failed" })
        #expect(halt["version"] as? String == "2.4.0")
        #expect(halt["policy"] as? String == "enrichment-canary")
        #expect(halt["step"] as? Int == 1)
        #expect(halt["dashboardURL"] as? String == "https://bellwether.example/?rollout=halting")
        let evidence = try #require(halt["evidence"] as? [String: Any])
        #expect((evidence["canary"] as? [String: Any])?["value"] as? Double == 0.052)
        #expect((evidence["baseline"] as? [String: Any])?["value"] as? Double == 0.010)
        #expect(evidence["ratioLower"] as? Double == 3.9)
        #expect(evidence["toleratedRatio"] as? Double == 1.1)
        for request in requests {
            #expect(request.headers["x-bellwether-delivery"] != nil)
        }
        #expect(requests.filter { $0.path == "/json" }.allSatisfy { $0.headers["x-bellwether-delivery"] == $0.json["deliveryID"] as? String })

        let slackMessages = requests.filter { $0.path == "/slack" }.map(\.json)
        #expect(slackMessages.count == 6)
        #expect(slackMessages.allSatisfy { $0["text"] is String && ($0["blocks"] as? [Any])?.isEmpty == false })
        let slackHalt = try #require(slackMessages.first { ($0["text"] as? String)?.contains("halted at step 1/2") == true })
        #expect("\(slackHalt["blocks"]!)".contains("canary 0.052 (3 agents) vs baseline 0.01 (27 agents); ratio 5.2 [3.9, 6.8], tolerated 1.1"))

        // And nothing is sent twice.
        #expect(try dispatcher.enqueue() == 0)
        #expect(await dispatcher.deliverDue() == .init())
        #expect(try store.notificationCounts() == [.delivered: 14])
    }

    @Test func aMissingSecretVariableFailsTheDeliveryAtOnceAndSaysWhichVariable() async throws {
        let store = try BellwetherStore.inMemory()
        let target = NotifyTarget.webhook(url: "http://127.0.0.1:9/hook", secret: nil, secretEnv: "NOT_SET_ANYWHERE", format: .json)
        try NotifyFixtures.start("r", notify: [target], in: store)
        try NotifyFixtures.apply(.manual(.pause, actor: "admin", reason: nil), to: "r", in: store, at: NotifyFixtures.t0, actor: "admin")
        let dispatcher = NotificationDispatcher(store: store, transport: NotifyFixtures.transport, settings: Self.settings, logger: .init(label: "test"))
        try dispatcher.enqueue()
        let report = await dispatcher.deliverDue()
        #expect(report.failed == 1)
        #expect(try store.notificationCounts() == [.failed: 1])
    }
}
