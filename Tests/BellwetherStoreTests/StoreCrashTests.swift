import BellwetherCore
import BellwetherStore
import BellwetherTestSupport
import Foundation
import Testing

/// Kills a process that writes to the store with SIGKILL at random instants, again and again on
/// one database file, and checks after every kill that:
///
/// 1. SQLite finds the file sound (`PRAGMA integrity_check` is `ok`);
/// 2. every audit log is a chain: revision 0 is the creation, revisions count up without gaps,
///    and each event starts in the state where the previous one ended;
/// 3. every rollout's phase and step are the `to` state of its last audit event, so no transition
///    was half applied (state without event, or event without state);
/// 4. every commit the writer acknowledged (printed after the transaction committed) is there:
///    the rollout has at least that many events, and the event at that count ends in the
///    acknowledged state;
/// 5. at most one commit per kill is unacknowledged: the one the process was killed between
///    committing and printing. Anything more would mean writes the writer never finished.
///
/// Each kill lands a random few milliseconds after the writer's latest acknowledgement, so over
/// the rounds it hits every phase of its loop. The writer is `bellwether internal store-torture`; run `swift build` first so it exists.
@Suite struct StoreCrashTests {
    @Test func killingTheWriterAtAnyInstantLosesNoAcknowledgedCommitAndHalfAppliesNothing() throws {
        let product = try ProductProcess()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bellwether-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("torture.db").path

        var random = SplitMix64(seed: 20_251_124)
        var acknowledged: [TortureCommit] = []
        let rounds = 12
        for round in 1...rounds {
            // Given a writer resuming from what the earlier rounds left
            let seed = random.next()
            let (process, output) = try product.start(["internal", "store-torture", "--db", path, "--seed", "\(seed)"])
            var lines = LineReader(output)
            // When it is killed once it has acknowledged a random number of commits
            let target = Int.random(in: 10...300, using: &random)
            var read: [String] = []
            while read.count < target, let line = lines.next() {
                read.append(line)
            }
            runOn(for: .microseconds(Int.random(in: 0...6_000, using: &random)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try #require(read.count == target, "round \(round): the writer exited (status \(process.terminationStatus)) after \(read.count) of \(target) commits")
            #expect(process.terminationReason == .uncaughtSignal, "round \(round): the writer ended by itself, not by SIGKILL")
            // (lines it printed before dying but that we had not read yet were acknowledged too)
            for line in read + lines.rest() {
                acknowledged.append(try #require(TortureCommit(line: line), "round \(round): unexpected output \(line)"))
            }
            // Then the database it leaves satisfies every property above
            try verify(path: path, acknowledged: acknowledged, kills: round)
        }
    }

    /// Lets the writer run on for a moment before the kill. This is not synchronisation (that is
    /// the lines read): without it the kill would always land just after a print, in the same
    /// phase of the writer's loop, and never between two statements of one write.
    private func runOn(for offset: Duration) {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: offset)
        while clock.now < deadline {}
    }

    private func verify(path: String, acknowledged: [TortureCommit], kills: Int) throws {
        let store = try BellwetherStore.open(path: path)
        #expect(try store.integrityCheck() == ["ok"])

        var logs: [String: [RolloutAuditEvent]] = [:]
        for rollout in try store.rollouts(limit: .max) {
            let events = try store.events(rolloutID: rollout.id)
            logs[rollout.id] = events
            #expect(events.first?.kind == "created" && events.first?.from == nil, "\(rollout.id) does not start with its creation")
            #expect(events.map(\.revision) == Array(events.indices), "\(rollout.id) skips or repeats a revision")
            for (previous, next) in zip(events, events.dropFirst()) {
                #expect(next.from == previous.to, "\(rollout.id): event \(next.id) starts at \(String(describing: next.from)), not \(previous.to)")
            }
            #expect(rollout.state == events.last?.to, "\(rollout.id) is \(rollout.state) but its audit log ends at \(String(describing: events.last?.to))")
        }

        var acknowledgedCounts: [String: Int] = [:]
        for commit in acknowledged {
            let events = logs[commit.rolloutID] ?? []
            guard events.count >= commit.eventCount else {
                Issue.record("acknowledged \(commit) is lost: \(commit.rolloutID) has \(events.count) events")
                continue
            }
            #expect(events[commit.eventCount - 1].to == commit.state, "acknowledged \(commit) is not what the log holds")
            acknowledgedCounts[commit.rolloutID] = max(acknowledgedCounts[commit.rolloutID] ?? 0, commit.eventCount)
        }
        let unacknowledged = logs.reduce(0) { sum, log in sum + log.value.count - (acknowledgedCounts[log.key] ?? 0) }
        #expect(unacknowledged <= kills, "\(unacknowledged) commits were never acknowledged after \(kills) kills")
    }
}
