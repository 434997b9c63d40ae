import BellwetherCore
import BellwetherStore
import Foundation

/// One alert of Alertmanager's `POST /api/v2/alerts` body.
struct AlertmanagerAlert: Encodable, Hashable {
    var labels: [String: String]
    var annotations: [String: String]
    var startsAt: Date
    var endsAt: Date
    var generatorURL: String?
}

/// The alerts a notice pushes to Alertmanager. A rollout raises one alert per unhealthy state it
/// enters (`halted`, `rolling-back`, `rolled-back`), labelled `alertname=BellwetherRollout` with
/// its rollout, policy, version, state and severity; every later notice resolves the alerts its
/// earlier states raised (`endsAt` = now), so a resumed, promoted, completed or aborted rollout
/// leaves nothing firing. A firing alert carries an explicit `endsAt` (`firingFor` ahead) instead
/// of Alertmanager's `resolve_timeout`, because nothing re-sends it: a halt must keep paging until
/// someone acts, not for five minutes.
enum AlertmanagerAlerts {
    static let alertName = "BellwetherRollout"
    static let firingPhases: Set<RolloutPhase> = [.halted, .rollingBack, .rolledBack]

    /// How long a firing alert lasts unless a later notice resolves it: a halt waits for a human;
    /// a rollback that finished is worth a day's attention.
    static func firingFor(_ phase: RolloutPhase) -> TimeInterval {
        phase == .halted ? 7 * 86_400 : 86_400
    }

    /// `critical` for the controller's own halts and rollbacks, `warning` once a rollback finished
    /// or for a pause a policy asked for (`onInconclusive: pause`: a decision is wanted, nothing
    /// is known to be wrong), `info` for states an operator chose.
    static func severity(_ event: RolloutAuditEvent) -> String {
        if case .manual = event.event { return "info" }
        if case .checkInconclusive(_, .pause, _) = event.event { return "warning" }
        return event.to.phase == .rolledBack ? "warning" : "critical"
    }

    /// `now` is the wall clock at delivery: a resolution ends an alert now, and a firing one
    /// lasts from now, even when the controller's clock runs faster than life (demos).
    static func alerts(
        for notice: RolloutNotice, event: RolloutAuditEvent, history: [RolloutAuditEvent], rollout: Rollout, now: Date
    ) -> [AlertmanagerAlert] {
        var alerts: [AlertmanagerAlert] = []
        var current: [String: String]?
        if firingPhases.contains(event.to.phase) {
            let labels = labels(event, rollout)
            current = labels
            var annotations = ["summary": notice.headline, "description": [notice.reason, notice.evidenceLine].compactMap(\.self).joined(separator: "\n")]
            annotations["dashboard"] = notice.dashboardURL
            alerts.append(AlertmanagerAlert(
                labels: labels, annotations: annotations,
                startsAt: min(event.at, now), endsAt: now.addingTimeInterval(firingFor(event.to.phase)), generatorURL: notice.dashboardURL
            ))
        }
        var resolved: Set<[String: String]> = current.map { [$0] } ?? []
        for earlier in history.reversed() where earlier.revision < event.revision && firingPhases.contains(earlier.to.phase) {
            let labels = labels(earlier, rollout)
            guard resolved.insert(labels).inserted else { continue }
            alerts.append(AlertmanagerAlert(
                labels: labels,
                annotations: ["summary": "\(rollout.id) is no longer \(earlier.to.phase.rawValue): \(notice.headline)", "description": notice.reason],
                startsAt: min(earlier.at, now), endsAt: now, generatorURL: notice.dashboardURL
            ))
        }
        return alerts
    }

    static func labels(_ event: RolloutAuditEvent, _ rollout: Rollout) -> [String: String] {
        [
            "alertname": alertName, "rollout": rollout.id, "policy": rollout.policy.name,
            "version": rollout.targetVersion, "state": event.to.phase.rawValue, "severity": severity(event),
        ]
    }
}
