import Yams

extension PolicyNodeReader {
    /// The steps, each checked alone and against its neighbours: percents rise to exactly 100 and
    /// every step but the last bakes, because promotion without a bake is promotion without evidence.
    func steps(_ node: Node, _ path: FieldPath) -> [RolloutStep]? {
        guard let items = list(node, path) else { return nil }
        guard !items.isEmpty else {
            report(node, path, "must list at least one step, for example `- {cohort: all, percent: 100}`")
            return nil
        }
        var steps: [RolloutStep] = []
        var previousPercent: Double?
        var cohorts: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let stepPath = path.index(index)
            guard let step = fields(item, stepPath) else { continue }
            let isLast = index == items.count - 1
            let cohort = value(step, "cohort", requiredLike: "cohort: canary", text)
            let percent = value(step, "percent", requiredLike: "percent: 10", number)
            let bake = value(step, "bake", requiredLike: isLast ? nil : "bake: 15m", duration)
            if let cohort, let earlier = cohorts.updateValue(index, forKey: cohort) {
                report(step["cohort"], step.path("cohort"),
                       "'\(cohort)' is already the cohort of steps[\(earlier)]: cohort names must be unique")
            }
            if let percent {
                checkPercent(percent, after: previousPercent, isLast: isLast, step)
                previousPercent = percent
            }
            if let cohort, let percent { steps.append(RolloutStep(cohort: cohort, percent: percent, bakeSeconds: bake)) }
        }
        return steps.count == items.count ? steps : nil
    }

    private func checkPercent(_ percent: Double, after previous: Double?, isLast: Bool, _ step: PolicyFields) {
        let node = step["percent"], path = step.path("percent")
        if percent <= 0 || percent > 100 {
            report(node, path, "must be above 0 and at most 100, found \(Self.format(percent))")
        } else if let previous, percent <= previous {
            report(node, path, "is \(Self.format(percent)) but the step before is \(Self.format(previous)): percents must increase")
        } else if isLast, percent != 100 {
            report(node, path, "is \(Self.format(percent)) but the last step must reach 100 so the rollout completes")
        }
    }
}
