import BellwetherTelemetry
import Foundation

/// Export requests as the OpenTelemetry SDKs send them, serialised once before measuring.
enum OTLPLoad {
    /// The Python and Java batch span processors' default export batch.
    static let spansPerRequest = 512
    static let seriesPerMetric = 20
    static let pointsPerRequest = 3 * seriesPerMetric
    /// Successive exports of every agent, each a minute later with larger cumulative values.
    static let metricExports = 20

    static func resource(_ agent: Int) -> OTLPResource {
        OTLPResource.with {
            $0.attributes = [
                keyValue("service.name", "collector"), keyValue("service.instance.id", "agent-\(agent)"),
                keyValue("service.version", "2.4.0"), keyValue("host.name", "host-\(agent)"),
            ]
        }
    }

    static func keyValue(_ key: String, _ value: String) -> OTLPKeyValue {
        OTLPKeyValue.with {
            $0.key = key
            $0.value.stringValue = value
        }
    }

    static func traceRequests(agents: Int) throws -> [[UInt8]] {
        try (0..<agents).map { agent in
            let spans = (0..<spansPerRequest).map { index in
                OTLPSpan.with {
                    $0.traceID = Data((0..<16).map { UInt8(truncatingIfNeeded: agent &* 31 &+ index &* 7 &+ $0 &+ 1) })
                    $0.spanID = Data((0..<8).map { UInt8(truncatingIfNeeded: index &* 13 &+ $0 &+ 1) })
                    $0.name = "process_data_record"
                    $0.kind = .internal
                    $0.startTimeUnixNano = 1_764_000_000_000_000_000 + UInt64(index) * 1_000_000
                    $0.endTimeUnixNano = $0.startTimeUnixNano + 800_000
                    $0.attributes = [keyValue("record.id", "r-\(agent)-\(index)"), keyValue("record.type", index % 2 == 0 ? "invoice" : "order")]
                    if index % 10 == 0 {
                        $0.attributes.append(OTLPKeyValue.with { $0.key = "data.incomplete"; $0.value.boolValue = true })
                        $0.events = [OTLPSpan.Event.with {
                            $0.name = "exception"
                            $0.attributes = [keyValue("exception.type", "KeyError"), keyValue("exception.message", "'region'")]
                        }]
                    }
                }
            }
            return try OTLPExportTraceServiceRequest.with {
                $0.resourceSpans = [OTLPResourceSpans.with {
                    $0.resource = resource(agent)
                    $0.scopeSpans = [OTLPScopeSpans.with { $0.scope.name = "agent.data"; $0.spans = spans }]
                }]
            }.serializedBytes()
        }
    }

    /// `metricExports` rounds, each one request per agent.
    static func metricRounds(agents: Int) throws -> [[[UInt8]]] {
        try (1...metricExports).map { export in
            try (0..<agents).map { agent in try metricRequest(agents: [agent], export: export) }
        }
    }

    /// One export of `agents`' metrics (one resource each, as a Collector batches them), the
    /// `export`th of their counters' life; `epoch` sets the counters' start time, so requests of
    /// another epoch are a restart of every series rather than a resend.
    static func metricRequest(agents: [Int], export: Int, epoch: UInt64 = 0) throws -> [UInt8] {
        let start = 1_764_000_000_000_000_000 + epoch * 86_400_000_000_000
        return try OTLPExportMetricsServiceRequest.with {
            $0.resourceMetrics = agents.map { agent in
                let time = start + UInt64(export) * 60_000_000_000
                func counter(_ name: String, perExport: Double) -> OTLPMetric {
                    OTLPMetric.with {
                        $0.name = name
                        $0.sum.isMonotonic = true
                        $0.sum.aggregationTemporality = .cumulative
                        $0.sum.dataPoints = (0..<seriesPerMetric).map { series in
                            OTLPNumberDataPoint.with {
                                $0.startTimeUnixNano = start
                                $0.timeUnixNano = time
                                $0.asInt = Int64(perExport * Double(export))
                                $0.attributes = [keyValue("record.type", "type-\(series)")]
                            }
                        }
                    }
                }
                let latency = OTLPMetric.with {
                    $0.name = "agent.data.processing_duration_seconds"
                    $0.histogram.aggregationTemporality = .cumulative
                    $0.histogram.dataPoints = (0..<seriesPerMetric).map { series in
                        OTLPHistogramDataPoint.with {
                            $0.startTimeUnixNano = start
                            $0.timeUnixNano = time
                            $0.explicitBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
                            $0.bucketCounts = (0...11).map { UInt64(export * ($0 + 1)) }
                            $0.count = $0.bucketCounts.reduce(0, +)
                            $0.sum = Double($0.count) * 0.05
                            $0.attributes = [keyValue("record.type", "type-\(series)")]
                        }
                    }
                }
                return OTLPResourceMetrics.with {
                    $0.resource = resource(agent)
                    $0.scopeMetrics = [OTLPScopeMetrics.with {
                        $0.metrics = [
                            counter("agent.data.records_processed_total", perExport: 600),
                            counter("agent.data.enrichment_failures_total", perExport: 6),
                            latency,
                        ]
                    }]
                }
            }
        }.serializedBytes()
    }

    /// A line of /proc/self/status, such as `VmRSS`, as the kernel prints it.
    static func memory(_ field: String) -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "unknown" }
        return status.split(separator: "\n").first { $0.hasPrefix(field + ":") }
            .map { $0.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces) } ?? "unknown"
    }
}
