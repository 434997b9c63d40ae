import BellwetherTelemetry
import Foundation

/// Hand-built OTLP requests, as an instrumented agent would export them.
enum OTLP {
    static let second: UInt64 = 1_000_000_000
    static let started: UInt64 = 1_764_000_000 * second

    static func attribute(_ key: String, _ value: String) -> OTLPKeyValue {
        OTLPKeyValue.with {
            $0.key = key
            $0.value.stringValue = value
        }
    }

    static func attribute(_ key: String, _ value: Bool) -> OTLPKeyValue {
        OTLPKeyValue.with {
            $0.key = key
            $0.value.boolValue = value
        }
    }

    static func resource(agent: String?, version: String? = "2.4.0", extra: [OTLPKeyValue] = []) -> OTLPResource {
        OTLPResource.with {
            $0.attributes = [attribute("service.name", "collector")]
                + (agent.map { [attribute("service.instance.id", $0)] } ?? [])
                + (version.map { [attribute("service.version", $0)] } ?? [])
                + extra
        }
    }

    static func point(_ value: Double, start: UInt64 = started, at seconds: UInt64, attributes: [OTLPKeyValue] = []) -> OTLPNumberDataPoint {
        OTLPNumberDataPoint.with {
            $0.startTimeUnixNano = start
            $0.timeUnixNano = started + seconds * second
            $0.asDouble = value
            $0.attributes = attributes
        }
    }

    static func sum(
        _ name: String, _ points: [OTLPNumberDataPoint],
        temporality: OTLPAggregationTemporality = .cumulative, monotonic: Bool = true
    ) -> OTLPMetric {
        OTLPMetric.with {
            $0.name = name
            $0.sum = OTLPSum.with {
                $0.dataPoints = points
                $0.aggregationTemporality = temporality
                $0.isMonotonic = monotonic
            }
        }
    }

    static func gauge(_ name: String, _ points: [OTLPNumberDataPoint]) -> OTLPMetric {
        OTLPMetric.with {
            $0.name = name
            $0.gauge.dataPoints = points
        }
    }

    static func histogram(
        _ name: String, bounds: [Double], counts: [UInt64], sum: Double, start: UInt64 = started, at seconds: UInt64,
        temporality: OTLPAggregationTemporality = .cumulative
    ) -> OTLPMetric {
        OTLPMetric.with {
            $0.name = name
            $0.histogram = OTLPHistogram.with {
                $0.aggregationTemporality = temporality
                $0.dataPoints = [OTLPHistogramDataPoint.with {
                    $0.startTimeUnixNano = start
                    $0.timeUnixNano = started + seconds * second
                    $0.explicitBounds = bounds
                    $0.bucketCounts = counts
                    $0.count = counts.reduce(0, +)
                    $0.sum = sum
                }]
            }
        }
    }

    static func exponentialHistogram(
        _ name: String, scale: Int32, offset: Int32, counts: [UInt64], zeroCount: UInt64 = 0, sum: Double, start: UInt64 = started,
        at seconds: UInt64, temporality: OTLPAggregationTemporality = .cumulative
    ) -> OTLPMetric {
        OTLPMetric.with {
            $0.name = name
            $0.exponentialHistogram = OTLPExponentialHistogram.with {
                $0.aggregationTemporality = temporality
                $0.dataPoints = [OTLPExponentialHistogramDataPoint.with {
                    $0.startTimeUnixNano = start
                    $0.timeUnixNano = started + seconds * second
                    $0.scale = scale
                    $0.zeroCount = zeroCount
                    $0.positive.offset = offset
                    $0.positive.bucketCounts = counts
                    $0.count = counts.reduce(zeroCount, +)
                    $0.sum = sum
                }]
            }
        }
    }

    static func metrics(_ resources: [(OTLPResource, [OTLPMetric])]) -> OTLPExportMetricsServiceRequest {
        OTLPExportMetricsServiceRequest.with {
            $0.resourceMetrics = resources.map { resource, metrics in
                OTLPResourceMetrics.with {
                    $0.resource = resource
                    $0.scopeMetrics = [OTLPScopeMetrics.with {
                        $0.scope.name = "agent.data"
                        $0.metrics = metrics
                    }]
                }
            }
        }
    }

    static func metrics(agent: String?, version: String? = "2.4.0", _ metrics: [OTLPMetric]) -> OTLPExportMetricsServiceRequest {
        self.metrics([(resource(agent: agent, version: version), metrics)])
    }

    /// A span with ids derived from `number`, so each is distinct and known to the test.
    static func span(
        _ name: String = "process_data_record", number: UInt8 = 1, attributes: [OTLPKeyValue] = [],
        error: Bool = false, exception: (type: String, message: String)? = nil
    ) -> OTLPSpan {
        OTLPSpan.with {
            $0.traceID = Data(repeating: number, count: 15) + [0xAB]
            $0.spanID = Data(repeating: number, count: 7) + [0xCD]
            $0.name = name
            $0.kind = .internal
            $0.startTimeUnixNano = started
            $0.endTimeUnixNano = started + second / 2
            $0.attributes = attributes
            if error {
                $0.status.code = .error
                $0.status.message = "enrichment failed"
            }
            if let exception {
                $0.events = [OTLPSpan.Event.with {
                    $0.name = "exception"
                    $0.timeUnixNano = started + second / 4
                    $0.attributes = [
                        attribute("exception.type", exception.type), attribute("exception.message", exception.message),
                        attribute("exception.escaped", "False"),
                    ]
                }]
            }
        }
    }

    static func traces(agent: String?, version: String? = "2.4.0", _ spans: [OTLPSpan]) -> OTLPExportTraceServiceRequest {
        traces([(resource(agent: agent, version: version), spans)])
    }

    static func traces(_ resources: [(OTLPResource, [OTLPSpan])]) -> OTLPExportTraceServiceRequest {
        OTLPExportTraceServiceRequest.with {
            $0.resourceSpans = resources.map { resource, spans in
                OTLPResourceSpans.with {
                    $0.resource = resource
                    $0.scopeSpans = [OTLPScopeSpans.with {
                        $0.scope.name = "agent.data"
                        $0.spans = spans
                    }]
                }
            }
        }
    }
}
