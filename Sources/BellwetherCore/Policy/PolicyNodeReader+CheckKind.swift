import Yams

extension PolicyNodeReader {
    /// The one kind key a check carries; none or several is ambiguous about what is guarded.
    func checkKind(_ check: PolicyFields) -> CheckKind? {
        let kinds = check.entries.filter { PolicyDecoder.checkKinds.contains($0.key) }
        guard let first = kinds.first else {
            report(check.node, check.path, "has no kind: give it one of ratio, spans, histogram or rate")
            return nil
        }
        if kinds.count > 1 {
            let named = kinds.map(\.key).joined(separator: " and ")
            report(kinds[1].keyNode, check.path, "names both \(named): a check has exactly one kind")
            return nil
        }
        let path = check.path(first.key)
        guard let fields = fields(first.value, path) else { return nil }
        switch first.key {
        case "ratio":
            let numerator = value(fields, "numerator", requiredLike: "numerator: agent.data.enrichment_failures_total", text)
            let denominator = value(fields, "denominator", requiredLike: "denominator: agent.data.records_processed_total", text)
            guard let numerator, let denominator else { return nil }
            return .ratio(numerator: numerator, denominator: denominator)
        case "spans":
            let name = value(fields, "name", requiredLike: "name: process_data_record", text)
            let failedWhen = value(fields, "failedWhen", spanConditions)
            guard let name else { return nil }
            let conditions = failedWhen ?? []
            return .spans(name: name, failedWhen: conditions.isEmpty ? SpanFailureCondition.policyDefault : conditions)
        case "histogram":
            let metric = value(fields, "metric", requiredLike: "metric: agent.data.processing_duration_seconds", text)
            let quantile = value(fields, "quantile", requiredLike: "quantile: 0.99", number)
            require(quantile, fields["quantile"], fields.path("quantile"), "strictly between 0 and 1, such as 0.99") { $0 > 0 && $0 < 1 }
            guard let metric, let quantile, quantile > 0, quantile < 1 else { return nil }
            return .histogram(metric: metric, quantile: quantile)
        default:
            let metric = value(fields, "metric", requiredLike: "metric: agent.data.records_processed_total", text)
            return metric.map { .rate(metric: $0) }
        }
    }

    func spanConditions(_ node: Node, _ path: FieldPath) -> [SpanFailureCondition]? {
        guard let items = list(node, path) else { return nil }
        let conditions = items.enumerated().compactMap { spanCondition($1, path.index($0)) }
        return conditions.count == items.count ? conditions : nil
    }

    private func spanCondition(_ node: Node, _ path: FieldPath) -> SpanFailureCondition? {
        let example = "{status: error}, {exception: true} or {attribute: {data.incomplete: true}}"
        guard let fields = fields(node, path) else { return nil }
        guard fields.entries.count == 1, let entry = fields.entries.first else {
            report(node, path, "must be exactly one of \(example)")
            return nil
        }
        let entryPath = path.key(entry.key)
        switch entry.key {
        case "status":
            guard text(entry.value, entryPath) == "error" else {
                report(entry.value, entryPath, "must be 'error': spans fail on status ERROR only")
                return nil
            }
            return .statusError
        case "exception":
            guard bool(entry.value, entryPath) == true else {
                report(entry.value, entryPath, "must be true: leave the condition out to ignore exceptions")
                return nil
            }
            return .exception
        default:
            return attributeCondition(entry.value, entryPath)
        }
    }

    private func attributeCondition(_ node: Node, _ path: FieldPath) -> SpanFailureCondition? {
        guard let mapping = node.mapping, mapping.count == 1, let (keyNode, valueNode) = mapping.first,
              let key = keyNode.scalar?.string
        else {
            report(node, path, "must name one attribute and its value, such as `{data.incomplete: true}`")
            return nil
        }
        guard let value = attributeValue(valueNode, path.key(key)) else { return nil }
        return .attribute(key: key, value: value)
    }

    private func attributeValue(_ node: Node, _ path: FieldPath) -> AttributeValue? {
        guard let text = text(node, path) else { return nil }
        switch node.tag.rawValue {
        case Tag.Name.bool.rawValue: return node.bool.map(AttributeValue.bool)
        case Tag.Name.int.rawValue: return node.int.map { .int(Int64($0)) }
        case Tag.Name.float.rawValue: return node.float.map(AttributeValue.double)
        default: return .string(text)
        }
    }
}
