import Yams

extension PolicyNodeReader {
    /// `metrics: {prometheus: {url: ..., ...}}`.
    func metricSource(_ node: Node, _ path: FieldPath) -> MetricSourceSpec? {
        guard let spec = fields(node, path) else { return nil }
        guard spec["prometheus"] != nil else {
            report(node, path, "names no source: write `prometheus: {url: http://prometheus:9090}`, or leave metrics out to use the server's")
            return nil
        }
        return value(spec, "prometheus", prometheusSource).map { MetricSourceSpec(prometheus: $0) }
    }

    private func prometheusSource(_ node: Node, _ path: FieldPath) -> PrometheusSourceSpec? {
        guard let fields = fields(node, path) else { return nil }
        let url = value(fields, "url", requiredLike: "url: http://prometheus:9090", self.url)
        let timeout = value(fields, "timeout", duration)
        let step = value(fields, "step", duration)
        let agentLabel = value(fields, "agentLabel") { self.name($0, $1, example: "service_instance_id", colons: false) }
        let versionLabel = value(fields, "versionLabel") { self.name($0, $1, example: "service_version", colons: false) }
        let spanMetric = value(fields, "spanMetric") { self.name($0, $1, example: "traces_span_metrics_calls_total", colons: true) }
        let authorizationEnv = value(fields, "authorizationEnv", environmentVariable)
        guard let url else { return nil }
        return PrometheusSourceSpec(
            url: url, timeoutSeconds: timeout, stepSeconds: step, agentLabel: agentLabel, versionLabel: versionLabel,
            spanMetric: spanMetric, authorizationEnv: authorizationEnv
        )
    }

    /// A Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`), or a metric name, which may also hold `:`.
    private func name(_ node: Node, _ path: FieldPath, example: String, colons: Bool) -> String? {
        guard let text = text(node, path) else { return nil }
        let valid = text.unicodeScalars.enumerated().allSatisfy { index, scalar in
            scalar.isASCIILetter || scalar == "_" || (colons && scalar == ":") || (index > 0 && ("0"..."9").contains(scalar))
        }
        guard valid else {
            report(node, path, "is not a Prometheus \(colons ? "metric" : "label") name, found '\(text)': use letters, digits and underscores, such as \(example)")
            return nil
        }
        return text
    }

    /// An environment variable's name, never its value: the secret stays out of the stored policy.
    private func environmentVariable(_ node: Node, _ path: FieldPath) -> String? {
        guard let text = text(node, path) else { return nil }
        let valid = text.unicodeScalars.enumerated().allSatisfy { index, scalar in
            scalar.isASCIILetter || scalar == "_" || (index > 0 && ("0"..."9").contains(scalar))
        }
        guard valid else {
            report(node, path, "must name an environment variable, such as PROMETHEUS_AUTHORIZATION, found '\(text)': "
                + "the header itself never goes in a policy")
            return nil
        }
        return text
    }
}

private extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
