import Yams

/// Turns policy YAML into a `Policy`, or into every problem with it at once.
///
/// The tree is composed with Yams and walked by hand rather than decoded with `Codable`, because
/// an operator needs the line, column and field of each mistake, and all of them in one run.
public enum PolicyDecoder {
    /// Decodes and validates `yaml`; `file` only labels the diagnostics.
    public static func decode(yaml: String, file: String) throws(PolicyError) -> Policy {
        let reader = PolicyNodeReader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw PolicyError(diagnostics: [YAMLSyntaxDiagnostic.make(error, file: file)])
        }
        guard let root else {
            reader.report(line: 1, column: 1, field: "", "the policy is empty: it needs at least name, steps and analysis")
            throw PolicyError(diagnostics: reader.diagnostics)
        }
        let policy = reader.policy(root)
        guard let policy, reader.diagnostics.isEmpty else {
            let ordered = reader.diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
            throw PolicyError(diagnostics: ordered)
        }
        return policy
    }
}

extension PolicyNodeReader {
    func policy(_ node: Node) -> Policy? {
        guard let root = fields(node, .root) else { return nil }
        let name = value(root, "name", requiredLike: "name: enrichment-canary", text)
        let selector = value(root, "selector", self.selector) ?? AgentSelector()
        let steps = value(root, "steps", requiredLike: "steps: [{cohort: canary, percent: 10, bake: 15m}, ...]", self.steps)
        let stratifyBy = value(root, "stratifyBy", text)
        let convergence = value(root, "convergence", self.convergence) ?? ConvergenceSpec()
        let analysis = value(root, "analysis", requiredLike: "analysis: {checks: [...]}", self.analysis)
        let notify = value(root, "notify", notifyTargets) ?? []
        let metrics = value(root, "metrics", metricSource)
        if let steps, let analysis { checkIntervalFitsBakes(root, steps, analysis) }
        guard let name, let steps, let analysis else { return nil }
        return Policy(
            name: name, selector: selector, steps: steps, stratifyBy: stratifyBy,
            analysis: analysis, convergence: convergence, notify: notify, metrics: metrics
        )
    }

    func selector(_ node: Node, _ path: FieldPath) -> AgentSelector? {
        guard let selector = fields(node, path) else { return nil }
        return AgentSelector(labels: value(selector, "labels", labels) ?? [:])
    }

    func convergence(_ node: Node, _ path: FieldPath) -> ConvergenceSpec? {
        guard let spec = fields(node, path) else { return nil }
        let defaults = ConvergenceSpec()
        let minFraction = value(spec, "minFraction", number)
        require(minFraction, spec["minFraction"], spec.path("minFraction"), "above 0 and at most 1") { $0 > 0 && $0 <= 1 }
        return ConvergenceSpec(
            timeoutSeconds: value(spec, "timeout", duration) ?? defaults.timeoutSeconds,
            minFraction: minFraction ?? defaults.minFraction,
            onFail: value(spec, "onFail", choice) ?? defaults.onFail
        )
    }

    /// An analysis that never looks before a step ends would promote on no evidence at all.
    private func checkIntervalFitsBakes(_ root: PolicyFields, _ steps: [RolloutStep], _ analysis: AnalysisSpec) {
        guard let intervalNode = root["analysis"]?.mapping?["interval"] else { return }
        let path = root.path("analysis").key("interval")
        for (index, step) in steps.enumerated() {
            guard let bake = step.bakeSeconds, analysis.intervalSeconds > bake else { continue }
            let interval = intervalNode.scalar?.string ?? ""
            let bakeText = root["steps"]?.sequence.map(Array.init)?[index].mapping?["bake"]?.scalar?.string ?? ""
            report(intervalNode, path, "is \(interval) but steps[\(index)].bake is \(bakeText): "
                + "a step must bake for at least one analysis interval; shorten the interval or lengthen the bake")
            return
        }
    }
}
