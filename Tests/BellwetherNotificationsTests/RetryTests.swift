import BellwetherCore
import BellwetherNotifications
import BellwetherStore
import Foundation
import Testing

/// Failed deliveries come back on an exponential schedule measured on an injected clock, and
/// survive a restart in the outbox. Nothing here sleeps: the clock is moved by hand.
@Suite struct RetryTests {
    let clock = ManualClock(now: NotifyFixtures.t0)

    func dispatcher(_ store: BellwetherStore, retry: RetrySchedule = RetrySchedule(base: 10, cap: 600, maxAttempts: 10)) -> NotificationDispatcher {
        let clock = clock
        return NotificationDispatcher(
            store: store, transport: NotifyFixtures.transport, settings: NotificationSettings(retry: retry), now: { clock.now }, random: { 0 },
            logger: .init(label: "test")
        )
    }

    func halt(_ id: String, notifying url: String, in store: BellwetherStore) throws {
        try NotifyFixtures.start(id, notify: [.webhook(url: url, secret: "k", format: .json)], in: store)
        try NotifyFixtures.apply(NotifyFixtures.checkFailed, to: id, in: store, at: clock.now)
    }

    @Test func aReceiverThatFailsTwiceGetsTheSameDeliveryAfter5sThen10s() async throws {
        let receiver = try await WebhookReceiver(arguments: ["--secret", "k", "--fail-first", "2"])
        let store = try BellwetherStore.inMemory()
        try halt("r", notifying: receiver.url("/hook"), in: store)
        let dispatcher = dispatcher(store)
        try dispatcher.enqueue()

        #expect(await dispatcher.deliverDue().retrying == 1)
        clock.advance(by: 4.9)
        #expect(await dispatcher.deliverDue() == .init(), "not due before its backoff")
        clock.advance(by: 0.1)
        #expect(await dispatcher.deliverDue().retrying == 1)
        clock.advance(by: 9.9)
        #expect(await dispatcher.deliverDue() == .init())
        clock.advance(by: 0.1)
        #expect(await dispatcher.deliverDue().delivered == 1)

        let requests = try await receiver.stop(expecting: 3)
        #expect(requests.map(\.status) == [503, 503, 200])
        #expect(Set(requests.map { $0.headers["x-bellwether-delivery"] }).count == 1, "every retry is the same delivery")
        #expect(requests.allSatisfy { $0.signature == "valid" })
    }

    @Test func aDeliveryIsGivenUpAfterItsLastAttempt() async throws {
        let receiver = try await WebhookReceiver(arguments: ["--fail-first", "100"])
        let store = try BellwetherStore.inMemory()
        try halt("r", notifying: receiver.url("/hook"), in: store)
        let dispatcher = dispatcher(store, retry: RetrySchedule(base: 1, cap: 1, maxAttempts: 3))
        try dispatcher.enqueue()
        var reports: [NotificationDispatcher.Report] = []
        for _ in 0..<4 {
            reports.append(await dispatcher.deliverDue())
            clock.advance(by: 1)
        }
        #expect(reports.map(\.retrying) == [1, 1, 0, 0])
        #expect(reports.map(\.failed) == [0, 0, 1, 0])
        #expect(try store.notificationCounts() == [.failed: 1])
        #expect(try await receiver.stop(expecting: 3).count == 3)
    }

    @Test func aTransitionCommittedBeforeACrashIsNotifiedAfterTheRestart() async throws {
        let receiver = try await WebhookReceiver(arguments: ["--secret", "k"])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }

        // Given a transition committed, and another queued but not delivered, when the process dies.
        do {
            let store = try BellwetherStore.open(path: path)
            try halt("queued", notifying: receiver.url("/hook"), in: store)
            try dispatcher(store).enqueue()
            try halt("committed", notifying: receiver.url("/hook"), in: store)
        }

        // When a new process opens the database and runs its outbox.
        let store = try BellwetherStore.open(path: path)
        let dispatcher = dispatcher(store)
        #expect(try dispatcher.enqueue() == 1)
        #expect(await dispatcher.drain().delivered == 2)

        // Then both were announced, once each.
        let rollouts = try await receiver.stop(expecting: 2).map { $0.json["rollout"] as? String }
        #expect(rollouts.sorted { ($0 ?? "") < ($1 ?? "") } == ["committed", "queued"])
    }

    @Test func aFullOutboxGivesUpTheOldestPendingDeliveries() async throws {
        let store = try BellwetherStore.inMemory()
        let target = NotifyTarget.webhook(url: "http://127.0.0.1:9/unused", secret: nil, format: .json)
        for id in ["a", "b", "c"] {
            try NotifyFixtures.start(id, notify: [target], in: store)
            try NotifyFixtures.apply(.manual(.pause, actor: "admin", reason: nil), to: id, in: store, at: clock.now, actor: "admin")
        }
        let clock = clock
        let dispatcher = NotificationDispatcher(
            store: store, transport: NotifyFixtures.transport, settings: NotificationSettings(capacity: 2), now: { clock.now },
            logger: .init(label: "test")
        )
        #expect(try dispatcher.enqueue() == 3)
        #expect(try store.notificationCounts() == [.pending: 2, .failed: 1])
        let due = try store.dueNotifications(at: clock.now, limit: 10).map(\.rollout.id)
        #expect(due == ["b", "c"])
    }
}
