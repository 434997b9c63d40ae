import BellwetherTelemetry
import Foundation

/// Agents' reports as the OpenTelemetry SDK's OTLP exporters put them on the wire: one resource
/// per agent (`service.instance.id`, `service.version`, `host.name`, `cloud.region`) with
/// cumulative monotonic sums, an explicit-bucket histogram and `process_data_record` spans.
///
/// Several agents' resources may share one request, the way an OpenTelemetry Collector forwards
/// what its agents sent: each resource keeps its own identity, so the receiver attributes every
/// point and span to the agent that produced it.
public enum OTLPExport {
    public static let recordsMetric = "agent.data.records_processed_total"
    public static let failuresMetric = "agent.data.enrichment_failures_total"
    public static let latencyMetric = "agent.data.processing_duration_seconds"
    public static let spanName = "process_data_record"

    public static func metrics(_ reports: [AgentReport]) -> OTLPExportMetricsServiceRequest {
        OTLPExportMetricsServiceRequest.with { request in
            request.resourceMetrics = reports.map { report in
                OTLPResourceMetrics.with {
                    $0.resource = resource(report)
                    $0.scopeMetrics = [OTLPScopeMetrics.with {
                        $0.scope.name = "agent.data"
                        $0.metrics = [
                            sum(recordsMetric, Double(report.records), report),
                            sum(failuresMetric, Double(report.failures), report),
                            histogram(report),
                        ]
                    }]
                }
            }
        }
    }

    /// Nil when no agent has a span to send (an SDK exports no empty batch).
    public static func traces(_ reports: [AgentReport]) -> OTLPExportTraceServiceRequest? {
        let withSpans = reports.filter { !$0.spans.isEmpty }
        guard !withSpans.isEmpty else { return nil }
        return OTLPExportTraceServiceRequest.with { request in
            request.resourceSpans = withSpans.map { report in
                OTLPResourceSpans.with {
                    $0.resource = resource(report)
                    $0.scopeSpans = [OTLPScopeSpans.with {
                        $0.scope.name = "agent.data"
                        $0.spans = report.spans.map(span)
                    }]
                }
            }
        }
    }

    static func resource(_ report: AgentReport) -> OTLPResource {
        OTLPResource.with {
            $0.attributes = [
                attribute("service.name", "collector"),
                attribute("service.instance.id", report.agent),
                attribute("service.version", report.version),
                attribute("host.name", report.agent),
            ] + (report.labels["region"].map { [attribute("cloud.region", $0)] } ?? [])
        }
    }

    static func sum(_ name: String, _ value: Double, _ report: AgentReport) -> OTLPMetric {
        OTLPMetric.with {
            $0.name = name
            $0.sum = OTLPSum.with {
                $0.aggregationTemporality = .cumulative
                $0.isMonotonic = true
                $0.dataPoints = [OTLPNumberDataPoint.with {
                    $0.startTimeUnixNano = nanoseconds(report.startTime)
                    $0.timeUnixNano = nanoseconds(report.time)
                    $0.asDouble = value
                }]
            }
        }
    }

    static func histogram(_ report: AgentReport) -> OTLPMetric {
        OTLPMetric.with {
            $0.name = latencyMetric
            $0.unit = "s"
            $0.histogram = OTLPHistogram.with {
                $0.aggregationTemporality = .cumulative
                $0.dataPoints = [OTLPHistogramDataPoint.with {
                    $0.startTimeUnixNano = nanoseconds(report.startTime)
                    $0.timeUnixNano = nanoseconds(report.time)
                    $0.explicitBounds = report.latencyBounds
                    $0.bucketCounts = report.latencyCounts
                    $0.count = report.latencyCounts.reduce(0, +)
                    $0.sum = report.latencySum
                }]
            }
        }
    }

    static func span(_ span: SimulatedSpan) -> OTLPSpan {
        OTLPSpan.with {
            $0.traceID = Data(span.traceID)
            $0.spanID = Data(span.spanID)
            $0.name = spanName
            $0.kind = .internal
            $0.startTimeUnixNano = nanoseconds(span.start)
            $0.endTimeUnixNano = nanoseconds(span.start + span.duration)
            $0.attributes = [attribute("record.id", span.recordID), attribute("record.type", span.recordType)]
            switch span.outcome {
            case .enriched:
                break
            case .incomplete:
                $0.attributes.append(OTLPKeyValue.with {
                    $0.key = "data.incomplete"
                    $0.value.boolValue = true
                })
            case .error(let type, let message):
                $0.status.code = .error
                $0.status.message = message
                $0.events = [OTLPSpan.Event.with {
                    $0.name = "exception"
                    $0.timeUnixNano = nanoseconds(span.start + span.duration)
                    $0.attributes = [attribute("exception.type", type), attribute("exception.message", message)]
                }]
            }
        }
    }

    static func attribute(_ key: String, _ value: String) -> OTLPKeyValue {
        OTLPKeyValue.with {
            $0.key = key
            $0.value.stringValue = value
        }
    }

    static func nanoseconds(_ seconds: Double) -> UInt64 {
        UInt64(max(0, seconds * 1e9))
    }
}
