extension PolicyDecoder {
    /// Every key the format allows, by the path of the mapping that holds it (indexes erased:
    /// `analysis.checks[]`). The decoder rejects anything else, and a test holds
    /// `policies/policy.schema.json` to exactly this table, so the schema editors use and the
    /// decoder the controller uses cannot drift apart.
    ///
    /// Mappings whose keys are the operator's own (`selector.labels`, a check's `filter`, a span
    /// condition's `attribute`) are deliberately absent.
    public static let knownKeys: [String: Set<String>] = [
        "": ["name", "selector", "steps", "stratifyBy", "convergence", "analysis", "notify", "metrics"],
        "selector": ["labels"],
        "steps[]": ["cohort", "percent", "bake"],
        "convergence": ["timeout", "minFraction", "onFail"],
        "analysis": ["interval", "alpha", "checks", "onNoData", "onInconclusive", "minAgentsPerCohort", "history"],
        "analysis.checks[]": [
            "name", "ratio", "spans", "histogram", "rate", "worseWhen", "tolerance", "onFail", "filter", "designFactor",
            "onInconclusive", "dryRun",
        ],
        "analysis.checks[].ratio": ["numerator", "denominator"],
        "analysis.checks[].spans": ["name", "failedWhen"],
        "analysis.checks[].spans.failedWhen[]": ["status", "exception", "attribute"],
        "analysis.checks[].histogram": ["metric", "quantile"],
        "analysis.checks[].rate": ["metric"],
        "analysis.checks[].tolerance": ["relative", "absolute"],
        "notify[]": ["webhook", "alertmanager"],
        "notify[].webhook": ["url", "secret", "secretEnv", "format"],
        "notify[].alertmanager": ["url"],
        "metrics": ["prometheus"],
        "metrics.prometheus": ["url", "timeout", "step", "agentLabel", "versionLabel", "spanMetric", "authorizationEnv"],
    ]

    /// What to write instead of a key the format deliberately lacks, by its path.
    static let keyAdvice: [String: String] = [
        "metrics.prometheus.authorization": "is not a known key: a secret never goes in a policy, which is stored and shown with every rollout; "
            + "put the header in the controller's environment and name the variable, such as `authorizationEnv: PROMETHEUS_AUTHORIZATION`",
    ]

    /// The keys that name a check's kind; a check carries exactly one.
    static let checkKinds = ["ratio", "spans", "histogram", "rate"]
}
