import BellwetherCore
import BellwetherStore
import BellwetherTelemetry
import Foundation
import Metrics
import Prometheus
import Synchronization

/// The controller's own metrics, served at `GET /metrics` in Prometheus' text format.
///
/// Events counted as they happen (heartbeats, OTLP points and spans, notification deliveries,
/// analysis durations) go through swift-metrics into this registry; `factory` is what the
/// control loop and the notifier count through. What the store already knows (rollouts by
/// state, transitions, check verdicts, agents) is read from it at each scrape, so it is right
/// after a restart and costs nothing between scrapes. One registry per server: tests run many
/// servers in one process, so nothing is bootstrapped globally.
public final class ControllerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory
    /// Gauges set at the last scrape, by name and labels, so a combination that disappeared (a
    /// version no agent runs any more) is unregistered instead of reporting a stale value.
    private let gauges = Mutex<[GaugeKey: Prometheus.Gauge]>([:])
    /// Audit-log and evaluation totals already added to their counters.
    private let counted = Mutex<[GaugeKey: Int]>([:])

    struct GaugeKey: Hashable {
        var name: String
        var labels: [String]
    }

    public init() {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Help text of the metrics this type registers itself; those counted through swift-metrics
    /// (`factory`) have none, since swift-metrics has no place for it.
    static let help = [
        "bellwether_rollouts": "Rollouts by state.",
        "bellwether_rollout_transitions_total": "Rollout transitions by from state, to state and the audit event's kind.",
        "bellwether_check_verdicts_total": "Check verdicts recorded at analysis boundaries, by check and verdict.",
        "bellwether_agents": "Agents by state (live or silent) and version.",
        "bellwether_heartbeats_received_total": "Agent heartbeats received.",
        "bellwether_otlp_items_total": "OTLP data points (signal metrics) and spans (signal traces) received, by outcome.",
        "bellwether_notifications": "Notification deliveries in the outbox, by status.",
        "bellwether_wall_clock_offset_seconds":
            "Wall clock minus controller time: how far the system clock was stepped since the controller started (bakes keep real seconds).",
    ]

    static func descriptor(_ name: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help[name] ?? "")
    }

    func heartbeatReceived() {
        registry.makeCounter(descriptor: Self.descriptor("bellwether_heartbeats_received_total"), labels: []).increment()
    }

    /// One OTLP export's outcome: `signal` is `metrics` (data points) or `traces` (spans).
    func otlpReceived(signal: String, _ summary: IngestSummary) {
        for (outcome, count) in [("accepted", summary.accepted), ("rejected", summary.rejected), ("ignored", summary.ignored), ("unattributed", summary.unattributed)] {
            registry.makeCounter(descriptor: Self.descriptor("bellwether_otlp_items_total"), labels: [("signal", signal), ("outcome", outcome)])
                .increment(by: Int64(count))
        }
    }

    /// The exposition: what the store and the fleet say now, then everything counted.
    func scrape(store: BellwetherStore, fleet: [FleetMember], now: Date, silentAfter: TimeInterval, wallClock: Date = Date()) throws -> String {
        let totals = try store.telemetryTotals()
        var current: [GaugeKey: Double] = [GaugeKey(name: "bellwether_wall_clock_offset_seconds", labels: []): wallClock.timeIntervalSince(now)]
        for phase in RolloutPhase.allCases.map(\.rawValue) {
            current[GaugeKey(name: "bellwether_rollouts", labels: ["state", phase])] = Double(totals.rolloutsByPhase[phase] ?? 0)
        }
        for member in fleet {
            let state = member.isSilent(at: now, after: silentAfter) ? "silent" : "live"
            current[GaugeKey(name: "bellwether_agents", labels: ["state", state, "version", member.agent.version]), default: 0] += 1
        }
        setGauges(current)
        addToCounters("bellwether_rollout_transitions_total", totals.transitions.map { (["from", $0.from, "to", $0.to, "kind", $0.kind], $0.count) })
        addToCounters("bellwether_check_verdicts_total", totals.verdicts.map { (["check", $0.check, "verdict", $0.verdict], $0.count) })
        if let counts = try? store.notificationCounts() {
            var pending: [GaugeKey: Double] = [:]
            for status in NotificationStatus.allCases {
                pending[GaugeKey(name: "bellwether_notifications", labels: ["status", status.rawValue])] = Double(counts[status] ?? 0)
            }
            setGauges(pending, prefix: "bellwether_notifications")
        }
        return registry.emitToString()
    }

    private func setGauges(_ values: [GaugeKey: Double], prefix: String? = nil) {
        gauges.withLock { gauges in
            for (key, gauge) in gauges where values[key] == nil && (prefix == nil ? key.name != "bellwether_notifications" : key.name == prefix) {
                registry.unregisterGauge(gauge)
                gauges[key] = nil
            }
            for (key, value) in values {
                let gauge = gauges[key] ?? registry.makeGauge(descriptor: Self.descriptor(key.name), labels: Self.pairs(key.labels))
                gauges[key] = gauge
                gauge.set(value)
            }
        }
    }

    /// Counters whose truth is a total in the store: each scrape adds what is new since the last.
    private func addToCounters(_ name: String, _ totals: [([String], Int)]) {
        counted.withLock { counted in
            for (labels, total) in totals {
                let key = GaugeKey(name: name, labels: labels)
                let added = total - (counted[key] ?? 0)
                guard added > 0 else { continue }
                registry.makeCounter(descriptor: Self.descriptor(name), labels: Self.pairs(labels)).increment(by: Int64(added))
                counted[key] = total
            }
        }
    }

    private static func pairs(_ flat: [String]) -> [(String, String)] {
        stride(from: 0, to: flat.count - 1, by: 2).map { (flat[$0], flat[$0 + 1]) }
    }
}
