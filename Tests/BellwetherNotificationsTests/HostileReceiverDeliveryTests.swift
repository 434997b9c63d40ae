import BellwetherCore
import BellwetherHTTPClient
import BellwetherNotifications
import BellwetherStore
import BellwetherTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// The outbox against receivers that refuse, hang, reset and trickle (real sockets, many
/// deliveries each, all in one pass beside a healthy receiver): every attempt ends in its typed
/// error within its timeout, retries come back on the `RetrySchedule` (an injected clock, moved by
/// hand), the healthy receiver gets its notices meanwhile, and every delivery ends delivered or
/// given up on: none is lost from the outbox.
@Suite struct HostileReceiverDeliveryTests {
    static let perReceiver = 10
    /// Long enough that a busy machine never turns a refusal or a reset into a timeout.
    static let timeout = Duration.seconds(2)

    @Test func hostileReceiversCostAttemptsRetriedOnScheduleAndLoseNothing() async throws {
        let behaviours: [HostileReceiver.Behaviour] = [.refuse, .hang, .reset, .trickle(every: .milliseconds(20))]
        var receivers: [HostileReceiver] = []
        for behaviour in behaviours { receivers.append(try await HostileReceiver.start(behaviour)) }
        let healthy = try await WebhookReceiver(arguments: ["--secret", "k"])
        let clock = ManualClock(now: NotifyFixtures.t0)
        let store = try BellwetherStore.inMemory()

        // Given ten halted rollouts notifying each hostile receiver, and three the healthy one.
        for receiver in receivers {
            for index in 0..<Self.perReceiver {
                try halt("\(receiver.behaviour)-\(index)", notifying: receiver.url + "/hook", in: store, at: clock.now)
            }
        }
        for index in 0..<3 { try halt("healthy-\(index)", notifying: healthy.url("/hook"), in: store, at: clock.now) }
        let total = receivers.count * Self.perReceiver + 3
        let log = RecordedLog()
        let schedule = RetrySchedule(base: 10, cap: 600, maxAttempts: 3)
        // A connection for every delivery to one receiver: none waits behind another's attempt.
        let reports = try await OutboundHTTP.with(timeouts: .init(connect: .seconds(10), read: nil), connectionsPerHost: 16) { http in
            let dispatcher = NotificationDispatcher(
                store: store, transport: HTTPNotificationTransport(http: http, timeout: Self.timeout),
                settings: NotificationSettings(retry: schedule, batchSize: 64), now: { clock.now }, random: { 0 },
                logger: Logger(label: "test") { _ in log }
            )
            #expect(try dispatcher.enqueue() == total)

            // When the outbox runs, and the clock is moved to each retry's instant.
            var reports = [await dispatcher.deliverDue()]
            let first = try #require(schedule.delay(afterAttempt: 1, unit: 0))
            clock.advance(by: first - 0.1)
            reports.append(await dispatcher.deliverDue())
            clock.advance(by: 0.1)
            reports.append(await dispatcher.deliverDue())
            let second = try #require(schedule.delay(afterAttempt: 2, unit: 0))
            clock.advance(by: second - 0.1)
            reports.append(await dispatcher.deliverDue())
            clock.advance(by: 0.1)
            reports.append(await dispatcher.deliverDue())
            return reports
        }

        // Then the healthy receiver had its notices at once; every hostile delivery was tried on
        // the schedule (5 s, then 10 s later) and given up on after its third attempt.
        let hostile = receivers.count * Self.perReceiver
        #expect(reports[0] == report(delivered: 3, retrying: hostile))
        #expect(reports[1] == report(), "nothing is due before its backoff")
        #expect(reports[2] == report(retrying: hostile))
        #expect(reports[3] == report())
        #expect(reports[4] == report(failed: hostile))
        #expect(try store.notificationCounts() == [.delivered: 3, .failed: hostile], "every delivery accounted for")
        #expect(try store.dueNotifications(at: clock.now.addingTimeInterval(86_400), limit: 1_000).isEmpty)

        // And every attempt ended in the error its receiver's behaviour deserves.
        let expected: [String: String] = [
            "refuse": OutboundHTTPError.refused(host: "127.0.0.1:\(receivers[0].port)").description,
            "hang": OutboundHTTPError.timedOut(seconds: 2).description,
            "reset": OutboundHTTPError.reset.description,
            "trickle": OutboundHTTPError.timedOut(seconds: 2).description,
        ]
        let attempts = log.attempts()
        #expect(attempts.count == hostile * 3)
        for (behaviour, error) in expected {
            let seen = attempts.filter { $0.rollout.hasPrefix(behaviour + "-") }
            #expect(seen.count == Self.perReceiver * 3, "\(behaviour): three attempts for each delivery")
            #expect(Set(seen.map(\.error)) == [error], "\(behaviour)")
        }
        #expect(try await healthy.stop(expecting: 3).allSatisfy { $0.signature == "valid" })
        for receiver in receivers { await receiver.stop() }
    }

    func halt(_ id: String, notifying url: String, in store: BellwetherStore, at time: Date) throws {
        try NotifyFixtures.start(id, notify: [.webhook(url: url, secret: "k", format: .json)], in: store, at: time)
        try NotifyFixtures.apply(NotifyFixtures.checkFailed, to: id, in: store, at: time)
    }

    func report(delivered: Int = 0, retrying: Int = 0, failed: Int = 0) -> NotificationDispatcher.Report {
        var report = NotificationDispatcher.Report()
        report.delivered = delivered
        report.retrying = retrying
        report.failed = failed
        return report
    }
}

/// The dispatcher's log lines about failed attempts, with the rollout and error they name.
final class RecordedLog: LogHandler, Sendable {
    struct Attempt: Sendable {
        var rollout: String
        var error: String
    }

    private let lines = Mutex<[Attempt]>([])

    func attempts() -> [Attempt] { lines.withLock { $0 } }

    func log(event: LogEvent) {
        guard let error = event.metadata?["error"], let rollout = event.metadata?["rollout"] else { return }
        lines.withLock { $0.append(Attempt(rollout: "\(rollout)", error: "\(error)")) }
    }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    subscript(metadataKey _: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }
}
