import BellwetherPrometheus

/// Agents' metrics in Prometheus' text exposition format 0.0.4, named and labelled as Prometheus
/// holds them when agents export OTLP to an OpenTelemetry Collector (`deploy/otelcol`): the
/// Collector's `prometheus` exporter with `resource_to_telemetry_conversion` turns every resource
/// attribute (`service.instance.id`, `service.version`, `host.name`, …) into a label, and its
/// spanmetrics connector counts spans by `span_name` and `status_code` (plus `data_incomplete`).
/// So Prometheus scraping the simulator sees what it would see behind a Collector, and the
/// controller's PromQL (`PrometheusQuery`) reads it unchanged.
///
/// Counters are the model's exact cumulative values since the process started; a restart starts
/// them again from zero, which Prometheus and the controller see as a reset, and `_created`
/// carries the start time as the Prometheus client libraries expose it in this format. A pure
/// value: `text` is all the HTTP adapter serves.
public struct PrometheusExposition: Sendable, Hashable {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    /// The spanmetrics connector's calls counter (its namespace default since v0.94).
    public static let spanCallsMetric = "traces_span_metrics_calls_total"

    public struct Label: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public struct Sample: Sendable, Hashable {
        public var name: String
        public var labels: [Label]
        public var value: String
    }

    /// One `# HELP` / `# TYPE` group: the format wants a family's samples together.
    public struct Family: Sendable, Hashable {
        public var name: String
        public var type: String
        public var help: String
        public var samples: [Sample]
    }

    public var families: [Family]

    /// The exposition of `reports` (running agents only: a dead process cannot be scraped), in
    /// agent order.
    public init(reports: [AgentReport]) {
        let reports = reports.sorted { $0.agent < $1.agent }
        let records = PrometheusNaming.counter(OTLPExport.recordsMetric)
        let failures = PrometheusNaming.counter(OTLPExport.failuresMetric)
        let latency = PrometheusNaming.histogram(OTLPExport.latencyMetric)
        families = [
            Self.counter(records, help: "Records processed.", reports) { $0.records },
            Self.created(records, reports),
            Self.counter(failures, help: "Records whose enrichment failed.", reports) { $0.failures },
            Self.created(failures, reports),
            Self.histogram(latency, help: "Processing time of one record, in seconds.", reports),
            Self.created(latency, reports),
            Self.spanCalls(reports),
        ]
    }

    /// The body Prometheus scrapes.
    public var text: String {
        var text = ""
        for family in families {
            text += "# HELP \(family.name) \(Self.escapedHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.type)\n"
            for sample in family.samples {
                text += sample.name
                if !sample.labels.isEmpty {
                    text += "{" + sample.labels.map { "\($0.name)=\"\(Self.escapedLabel($0.value))\"" }.joined(separator: ",") + "}"
                }
                text += " \(sample.value)\n"
            }
        }
        return text
    }

    // MARK: - Families

    /// The labels the Collector derives from the agent's OTLP resource (`OTLPExport.resource`),
    /// so the two paths cannot drift apart.
    static func resourceLabels(_ report: AgentReport) -> [Label] {
        OTLPExport.resource(report).attributes.map { Label(PrometheusNaming.label($0.key), $0.value.stringValue) }
    }

    private static func counter(_ name: String, help: String, _ reports: [AgentReport], value: (AgentReport) -> UInt64) -> Family {
        Family(name: name, type: "counter", help: help, samples: reports.map {
            Sample(name: name, labels: resourceLabels($0), value: String(value($0)))
        })
    }

    /// `<base>_created`: the process start, seconds since the Unix epoch, as a gauge (the 0.0.4
    /// format has no created timestamp of its own).
    private static func created(_ name: String, _ reports: [AgentReport]) -> Family {
        let base = name.hasSuffix("_total") ? String(name.dropLast("_total".count)) : name
        return Family(name: base + "_created", type: "gauge", help: "When the counting process started.", samples: reports.map {
            Sample(name: base + "_created", labels: resourceLabels($0), value: number($0.startTime))
        })
    }

    private static func histogram(_ name: String, help: String, _ reports: [AgentReport]) -> Family {
        var samples: [Sample] = []
        for report in reports {
            let labels = resourceLabels(report)
            var cumulative: UInt64 = 0
            for (index, count) in report.latencyCounts.enumerated() {
                cumulative += count
                let le = index < report.latencyBounds.count ? number(report.latencyBounds[index]) : "+Inf"
                samples.append(Sample(name: name + "_bucket", labels: labels + [Label("le", le)], value: String(cumulative)))
            }
            samples.append(Sample(name: name + "_sum", labels: labels, value: number(report.latencySum)))
            samples.append(Sample(name: name + "_count", labels: labels, value: String(cumulative)))
        }
        return Family(name: name, type: "histogram", help: help, samples: samples)
    }

    /// The spanmetrics calls counter: a series per outcome once the first span of it is counted,
    /// as the connector creates them.
    private static func spanCalls(_ reports: [AgentReport]) -> Family {
        var samples: [Sample] = []
        for report in reports {
            let labels = resourceLabels(report) + [Label("span_name", OTLPExport.spanName)]
            let outcomes: [(count: UInt64, extra: [Label])] = [
                (report.spanCalls.enriched, [Label("status_code", "STATUS_CODE_UNSET")]),
                (report.spanCalls.incomplete, [Label("status_code", "STATUS_CODE_UNSET"), Label(PrometheusNaming.label("data.incomplete"), "true")]),
                (report.spanCalls.failed, [Label("status_code", "STATUS_CODE_ERROR")]),
            ]
            for outcome in outcomes where outcome.count > 0 {
                samples.append(Sample(name: spanCallsMetric, labels: labels + outcome.extra, value: String(outcome.count)))
            }
        }
        return Family(name: spanCallsMetric, type: "counter", help: "Spans, as the spanmetrics connector counts them.", samples: samples)
    }

    // MARK: - Text

    /// A sample value or `le` bound: integers without a fraction (as Go's `FormatFloat(v, 'f', -1)`
    /// writes them), `+Inf`, `-Inf`, `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Label values escape `\`, `"` and line feeds.
    static func escapedLabel(_ value: String) -> String {
        PrometheusNaming.escaped(value)
    }

    /// Help text escapes `\` and line feeds.
    static func escapedHelp(_ help: String) -> String {
        help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
