/// Decides which agents run the target version at each step of one rollout, and which stable
/// agents they are compared with.
///
/// Every agent gets a position u in [0, 1) from a `StableHash` of (rollout id, agent id). All
/// choices are thresholds or prefixes on that one order, which is what gives the guarantees the
/// rest of the product relies on:
///
/// - **Deterministic**: the controller can recompute a cohort after a restart, on any host,
///   without storing it.
/// - **Nested**: the canary of a step contains the canary of every earlier step, so promotion
///   only ever adds agents to the target version.
/// - **Stable under churn**: unstratified, an agent's cohort depends on its own id alone, so agents
///   joining or leaving the fleet never move anyone else.
/// - **Independent across rollouts**: the rollout id is hashed in, so the same unlucky agents are
///   not the canary of every release.
///
/// The baseline is taken from the other end of the order (the largest u). While canaries grow from
/// the bottom up to 50%, baselines grow from the top down, so a baseline agent has never run the
/// target version in any earlier step, and the baseline of one step is contained in the next one's:
/// a comparison's history carries over a promotion.
public struct CohortAssigner: Sendable, Hashable {
    public let rolloutID: String
    /// A label whose every value must be represented in every cohort (for example `region`), or
    /// `nil` to draw from the fleet as a whole.
    public let stratifyBy: String?
    private let prefix: StableHash

    public init(rolloutID: String, stratifyBy: String? = nil) {
        self.rolloutID = rolloutID
        self.stratifyBy = stratifyBy
        var prefix = StableHash()
        prefix.combine(rolloutID)
        prefix.combine(byte: 0)
        self.prefix = prefix
    }

    /// The agent's place in this rollout's order, in [0, 1). The 0 byte between the two ids keeps
    /// ("ab", "c") and ("a", "bc") apart.
    public func position(of agentID: String) -> Double {
        var hash = prefix
        hash.combine(agentID)
        return hash.unitInterval
    }

    /// Canary membership without seeing the rest of the fleet: what an agent-facing endpoint uses
    /// to answer one heartbeat. Only unstratified rollouts have it, since a stratum's canary is a
    /// count of its agents and so depends on who else is in the stratum; use `split` for those.
    public func isCanary(agentID: String, percent: Double) -> Bool {
        precondition(stratifyBy == nil, "a stratified canary depends on the other agents of the stratum; use split(agents:percent:)")
        return position(of: agentID) < Self.share(percent)
    }

    /// The canary and baseline of a step at `percent` (0...100) of `agents`.
    ///
    /// Unstratified, the canary is every agent with u < p and the baseline every agent with
    /// u ≥ 1 − p, so both are binomial draws of about the same size. Above 50% the two ends would
    /// meet, so the baseline is every agent not in the canary, smaller than the canary: the
    /// comparison loses power there, but by then the smaller steps have already watched the new
    /// version against an equal baseline. At 100% there is no baseline.
    ///
    /// Stratified, each stratum (agents without the label form the stratum "") is split on its own
    /// order: see `splitStratum`.
    public func split(agents: [CohortMember], percent: Double) -> CohortSplit {
        guard let label = stratifyBy else {
            return splitUnstratified(agents.map(\.id), percent: percent)
        }
        var split = CohortSplit()
        let byStratum = Dictionary(grouping: agents) { $0.labels[label] ?? "" }
        for members in byStratum.values {
            let part = splitStratum(members.map(\.id), percent: percent)
            split.canary.formUnion(part.canary)
            split.baseline.formUnion(part.baseline)
        }
        return split
    }

    private func splitUnstratified(_ ids: [String], percent: Double) -> CohortSplit {
        let share = Self.share(percent)
        let baselineFloor = share <= 0.5 ? 1 - share : share
        var split = CohortSplit()
        for id in ids {
            let u = position(of: id)
            if u < share {
                split.canary.insert(id)
            } else if u >= baselineFloor {
                split.baseline.insert(id)
            }
        }
        return split
    }

    /// One stratum of n agents: the canary is the k with the smallest u, where k = round(p · n),
    /// and the baseline the k with the largest u, capped so the two never overlap.
    ///
    /// k is at least 1 whenever p > 0 and n ≥ 2, so a small region is watched from the first step
    /// instead of meeting the new version for the first time at 50%. The price is that small
    /// strata are over-represented in early canaries (a 3-agent region puts a third of itself on
    /// the 1% step); a single agent is never a canary before 50%, because it would have no
    /// baseline to be compared with. Counts rise with p and both cohorts are prefixes of one
    /// order, so nesting holds as in the unstratified case; churn moves at most
    /// (joins + leaves + 1) agents of a stratum in or out of each cohort.
    private func splitStratum(_ ids: [String], percent: Double) -> CohortSplit {
        let share = Self.share(percent)
        let ordered = ids
            .map { (position: position(of: $0), id: $0) }
            .sorted { ($0.position, $0.id) < ($1.position, $1.id) }
            .map(\.id)
        let n = ordered.count
        var canaryCount = Int((share * Double(n)).rounded())
        if share > 0, n >= 2 {
            canaryCount = max(canaryCount, 1)
        }
        canaryCount = min(canaryCount, n)
        let baselineCount = min(canaryCount, n - canaryCount)
        return CohortSplit(
            canary: Set(ordered.prefix(canaryCount)),
            baseline: Set(ordered.suffix(baselineCount))
        )
    }

    private static func share(_ percent: Double) -> Double {
        min(max(percent / 100, 0), 1)
    }
}
