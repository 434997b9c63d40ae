import BellwetherController
import BellwetherCore
import BellwetherHTTPClient
import BellwetherNotifications
import BellwetherPrometheus
import BellwetherStore
import Logging

extension RolloutController: RolloutControl {}

/// The check verdicts of `GET /api/v1/rollouts/{id}/health`: the control loop's latest evaluation.
struct ControllerCheckSource: RolloutCheckSource {
    let controller: RolloutController

    func checks(for rollout: Rollout) async -> [CheckVerdict] {
        (try? await controller.latestEvaluation(rolloutID: rollout.id))?.verdicts ?? []
    }
}

extension ServerComponents {
    /// The complete controller: the API and the control loop on one clock, sharing the fleet
    /// registry, so what the loop assigns is what heartbeats answer and operators' commands wake
    /// the loop at once. With a `ManualClock` the API also offers `POST /api/v1/clock/advance`,
    /// which then runs every pass (tests drive time through it; nothing sleeps).
    ///
    /// `http` carries every request the controller makes (Prometheus queries, notifications); its
    /// owner shuts it down after these components' services have stopped (`OutboundHTTPService`
    /// first in the service group, as `serve` does).
    public static func controller(
        configuration: ServerConfiguration,
        store: BellwetherStore,
        clock: any ControllerClock,
        http: OutboundHTTP,
        logger: Logger = Logger(label: "bellwether.controller")
    ) -> ServerComponents {
        var components = ServerComponents(configuration: configuration, store: store)
        let otlp = components.otlp
        let embedded = EmbeddedMetricSource(store: store) { _ = try otlp.flush(to: store) }
        components.deploy = ExecDeployDriver(configuration: configuration, store: store, fleet: components.fleet) { clock.now }
        let controller = RolloutController(
            store: store,
            metrics: PolicyMetricSources(
                fallback: configuration.prometheus.map { PrometheusMetricSource(settings: $0, http: http, telemetry: components.metrics.factory) } ?? embedded,
                server: configuration.prometheus, http: http, telemetry: components.metrics.factory
            ),
            sink: FleetAssignmentSink(fleet: components.fleet, deploy: components.deploy),
            clock: clock,
            configuration: ControllerConfiguration(silentAfter: configuration.silentAfter),
            logger: logger,
            telemetry: components.metrics.factory
        )
        components.control = controller
        components.health = ControllerCheckSource(controller: controller)
        components.now = { clock.now }
        // Notifications read the audit log the loop writes, off the loop, on the wall clock.
        components.services.append(NotificationService(dispatcher: NotificationDispatcher(
            store: store, transport: HTTPNotificationTransport(http: http, timeout: configuration.notifications.timeout),
            settings: configuration.notifications, logger: Logger(label: "bellwether.notify"),
            metrics: components.metrics.factory
        )))
        // On a manual clock only `POST /api/v1/clock/advance` runs passes: with no background
        // service racing it, a test of the real process sees one pass per advance, in order.
        if !(clock is ManualClock) {
            let fleet = components.fleet
            components.services.append(ControllerService(controller: controller) { await fleet.flushLoggingFailure() })
        }
        if let manual = clock as? ManualClock {
            let fleet = components.fleet
            components.clock = ClockControl { seconds, settle in
                manual.advance(by: seconds)
                try await settle()
                // Heartbeats and telemetry heard so far must be in the store before the loop looks.
                try await fleet.flush()
                try otlp.flush(to: store)
                var report = await controller.tick()
                // The answer says where every recent rollout stands now, read from the store, not
                // only those this pass drove (an operator's command may have ended one meanwhile).
                for rollout in try store.rollouts(limit: 500) {
                    report.states[rollout.id] = rollout.state
                }
                return report
            }
        }
        return components
    }
}
