import Yams

extension PolicyNodeReader {
    func analysis(_ node: Node, _ path: FieldPath) -> AnalysisSpec? {
        guard let spec = fields(node, path) else { return nil }
        let defaults = AnalysisSpec(checks: [])
        let alpha = value(spec, "alpha", number)
        require(alpha, spec["alpha"], spec.path("alpha"), "strictly between 0 and 0.5, such as 0.01") { $0 > 0 && $0 < 0.5 }
        let minAgents = value(spec, "minAgentsPerCohort", integer)
        require(minAgents.map(Double.init), spec["minAgentsPerCohort"], spec.path("minAgentsPerCohort"), "at least 1") { $0 >= 1 }
        let checks = value(spec, "checks", requiredLike: "checks: [{name: error-ratio, ratio: {...}}]", self.checks)
        guard let checks else { return nil }
        return AnalysisSpec(
            intervalSeconds: value(spec, "interval", duration) ?? defaults.intervalSeconds,
            alpha: alpha ?? defaults.alpha,
            checks: checks,
            onNoData: value(spec, "onNoData", choice) ?? defaults.onNoData,
            minAgentsPerCohort: minAgents ?? defaults.minAgentsPerCohort,
            historySeconds: value(spec, "history", duration),
            onInconclusive: value(spec, "onInconclusive", choice)
        )
    }

    func checks(_ node: Node, _ path: FieldPath) -> [Check]? {
        guard let items = list(node, path) else { return nil }
        guard !items.isEmpty else {
            report(node, path, "must list at least one check: a rollout nothing guards is not a canary")
            return nil
        }
        var checks: [Check] = []
        var names: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            guard let fields = fields(item, path.index(index)) else { continue }
            let name = value(fields, "name", requiredLike: "name: enrichment-failure-ratio", text)
            if let name, let earlier = names.updateValue(index, forKey: name) {
                report(fields["name"], fields.path("name"),
                       "'\(name)' is already the name of checks[\(earlier)]: check names must be unique")
            }
            if let name, let check = check(fields, name: name) { checks.append(check) }
        }
        if checks.count == items.count, checks.allSatisfy(\.isDryRun) {
            report(node, path, "has only dry-run checks: at least one check must be enforced (without `dryRun: true`), or nothing guards the rollout")
            return nil
        }
        return checks.count == items.count ? checks : nil
    }

    private func check(_ check: PolicyFields, name: String) -> Check? {
        let kind = checkKind(check)
        let tolerance = value(check, "tolerance", self.tolerance) ?? Tolerance()
        let worseWhen: Direction? = value(check, "worseWhen", choice)
        let onFail: FailureAction? = value(check, "onFail", choice)
        let filter = value(check, "filter", labels) ?? [:]
        let designFactor = value(check, "designFactor", number)
        require(designFactor, check["designFactor"], check.path("designFactor"),
                "greater than 1, such as 1.5: a pass then rules out a canary 1.5× beyond the tolerance (default 2)") { $0 > 1 && $0 <= 1_000 }
        let onInconclusive: InconclusiveAction? = value(check, "onInconclusive", choice)
        let dryRun = value(check, "dryRun", bool)
        guard let kind else { return nil }
        return Check(
            name: name, kind: kind, worseWhen: worseWhen ?? .higher, tolerance: tolerance,
            onFail: onFail ?? .rollback, filter: filter, designFactor: designFactor,
            onInconclusive: onInconclusive, dryRun: dryRun
        )
    }

    func tolerance(_ node: Node, _ path: FieldPath) -> Tolerance? {
        guard let fields = fields(node, path) else { return nil }
        var tolerance = Tolerance()
        for key in ["relative", "absolute"] {
            let margin = value(fields, key, number)
            require(margin, fields[key], fields.path(key), "zero or more") { $0 >= 0 }
            if key == "relative" { tolerance.relative = margin } else { tolerance.absolute = margin }
        }
        return tolerance
    }
}
