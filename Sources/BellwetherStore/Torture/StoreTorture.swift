import BellwetherCore
import Foundation

/// A workload that never stops writing, for crash testing: run it in a child process, kill it
/// with SIGKILL at a random instant, and check the database against what it acknowledged.
///
/// Each pass records a batch of heartbeats (sometimes desired versions too), then either starts a
/// rollout on a free shard of the fleet or moves an active one a step along a legal path. After
/// every committed rollout write it calls `onCommit`. It also tries writes the store must refuse
/// (a stale transition, an overlapping rollout) and stops with `TortureFailure` if one is accepted.
/// It resumes from whatever the database holds, so successive runs on one file build on each other.
public enum StoreTorture {
    public static func run(store: BellwetherStore, seed: UInt64, onCommit: (TortureCommit) -> Void) throws -> Never {
        var loop = TortureLoop(store: store, seed: seed)
        while true {
            try loop.pass(onCommit)
        }
    }
}

/// The store accepted a write it must refuse.
public struct TortureFailure: Error, CustomStringConvertible {
    public var description: String
}

struct TortureLoop {
    private static let shards = ["a", "b", "c"]
    private static let fleetSize = 12

    let store: BellwetherStore
    let seed: UInt64
    var rng: SplitMix64
    /// Audit events per rollout, learned from the database the first time a rollout is touched.
    var eventCounts: [String: Int] = [:]

    init(store: BellwetherStore, seed: UInt64) {
        self.store = store
        self.seed = seed
        rng = SplitMix64(seed: seed)
    }

    mutating func pass(_ onCommit: (TortureCommit) -> Void) throws {
        try recordHeartbeats()
        let active = try store.activeRollouts()
        let busy = Set(active.compactMap { $0.policy.selector.labels["shard"] })
        let free = Self.shards.filter { !busy.contains($0) }
        if let shard = free.randomElement(using: &rng), active.isEmpty || chance(percent: 25) {
            if let taken = busy.randomElement(using: &rng), chance(percent: 10) {
                try expectConflict(on: taken)
            }
            onCommit(try start(on: shard))
        } else if let rollout = active.randomElement(using: &rng) {
            if chance(percent: 5) {
                try expectStale(rollout)
            }
            onCommit(try advance(rollout))
        }
    }

    private mutating func recordHeartbeats() throws {
        let ids = (0..<Int.random(in: 1...4, using: &rng)).map { _ in Int.random(in: 0..<Self.fleetSize, using: &rng) }
        let batch = ids.map { index in
            AgentHeartbeat(
                id: "agent-\(index)",
                version: "1.0.\(Int.random(in: 0...2, using: &rng))",
                labels: ["shard": Self.shards[index % Self.shards.count]],
                healthy: chance(percent: 95)
            )
        }
        try store.recordHeartbeats(batch, at: Date())
        if chance(percent: 10) {
            let desired: String? = chance(percent: 50) ? "2.0.0" : nil
            try store.setDesiredVersions(Dictionary(batch.map { ($0.id, desired) }) { first, _ in first })
        }
    }

    private mutating func start(on shard: String) throws -> TortureCommit {
        let rollout = Rollout(
            id: "t\(seed)-\(String(rng.next(), radix: 36))",
            policy: Self.policy(shard: shard),
            targetVersion: "2.0.0",
            stableVersion: "1.0.0",
            createdAt: Date()
        )
        try store.startRollout(rollout, policySource: "# torture policy for shard \(shard)\n", actor: "torture")
        eventCounts[rollout.id] = 1
        return TortureCommit(rolloutID: rollout.id, state: rollout.state, eventCount: 1)
    }

    private mutating func advance(_ rollout: Rollout) throws -> TortureCommit {
        let stepCount = rollout.policy.steps.count
        guard let transition = TortureScript.transition(after: rollout.state, stepCount: stepCount, using: &rng) else {
            throw TortureFailure(description: "active rollout \(rollout.id) is \(rollout.state), which has no next state")
        }
        let before = try eventCount(of: rollout.id)
        let committed = try store.recordTransition(rolloutID: rollout.id, transition, actor: "torture", at: Date())
        eventCounts[rollout.id] = before + 1
        return TortureCommit(rolloutID: rollout.id, state: committed.state, eventCount: before + 1)
    }

    private mutating func eventCount(of rolloutID: String) throws -> Int {
        if let count = eventCounts[rolloutID] { return count }
        let count = try store.events(rolloutID: rolloutID).count
        eventCounts[rolloutID] = count
        return count
    }

    private mutating func expectConflict(on shard: String) throws {
        let intruder = Rollout(id: "intruder-\(rng.next())", policy: Self.policy(shard: shard), targetVersion: "9.9.9", createdAt: Date())
        do {
            try store.startRollout(intruder, policySource: "", actor: "torture")
        } catch StoreError.conflictingRollout {
            return
        }
        throw TortureFailure(description: "a second active rollout was accepted on shard \(shard)")
    }

    private func expectStale(_ rollout: Rollout) throws {
        let stale = RolloutTransition(from: .pending, to: .aborted, event: .manual(.abort, actor: "torture", reason: nil), reason: "stale")
        guard rollout.state != stale.from else { return }
        do {
            try store.recordTransition(rolloutID: rollout.id, stale, actor: "torture", at: Date())
        } catch StoreError.staleTransition {
            return
        }
        throw TortureFailure(description: "a transition from pending was applied to \(rollout.id), which is \(rollout.state)")
    }

    private mutating func chance(percent: Int) -> Bool {
        Int.random(in: 0..<100, using: &rng) < percent
    }

    private static func policy(shard: String) -> Policy {
        Policy(
            name: "torture-\(shard)",
            selector: AgentSelector(labels: ["shard": shard]),
            steps: [
                RolloutStep(cohort: "canary", percent: 1, bakeSeconds: 60),
                RolloutStep(cohort: "early", percent: 10, bakeSeconds: 60),
                RolloutStep(cohort: "half", percent: 50, bakeSeconds: 60),
                RolloutStep(cohort: "all", percent: 100),
            ],
            analysis: AnalysisSpec(checks: [
                Check(name: "enrichment-failure-ratio", kind: .ratio(
                    numerator: "agent.data.enrichment_failures_total", denominator: "agent.data.records_processed_total"
                )),
            ])
        )
    }
}
