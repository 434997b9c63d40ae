/// How OpenTelemetry metric names, as policies write them, appear in Prometheus.
///
/// The Collector's exporters (and the SDKs' Prometheus exporters) replace every character a
/// Prometheus name cannot hold with `_` and give monotonic counters a `_total` suffix;
/// histograms become `<name>_bucket{le=…}`, `<name>_count` and `<name>_sum`. So the policy's
/// `agent.data.records_processed_total` is queried as `agent_data_records_processed_total`, and
/// `agent.data.processing_duration_seconds` as `agent_data_processing_duration_seconds_bucket`.
/// Attribute keys become label names the same way (`data.incomplete` → `data_incomplete`).
public enum PrometheusNaming {
    /// A valid Prometheus metric or label name for an OpenTelemetry one.
    public static func sanitized(_ name: String) -> String {
        var result = String(name.unicodeScalars.map { scalar -> Character in
            let valid = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == ":"
            return valid ? Character(scalar) : "_"
        })
        if let first = result.unicodeScalars.first, ("0"..."9").contains(first) { result = "_" + result }
        return result
    }

    /// The series name of a monotonic counter.
    public static func counter(_ name: String) -> String {
        let base = sanitized(name)
        return base.hasSuffix("_total") ? base : base + "_total"
    }

    /// The base name of a histogram's `_bucket` and `_sum` series.
    public static func histogram(_ name: String) -> String {
        sanitized(name)
    }

    /// The label name of a data-point or span attribute.
    public static func label(_ attribute: String) -> String {
        sanitized(attribute)
    }

    /// `text` inside double quotes, as PromQL string literals and label values in the text
    /// exposition format both write it: `\`, `"` and line feeds escaped.
    public static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
