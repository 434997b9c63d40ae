import BellwetherCore
import BellwetherOpAMP
import BellwetherStore
import BellwetherTelemetry
import Foundation
import ServiceLifecycle

/// The parts a server is assembled from. The defaults make a complete API without a control
/// loop; the controller is plugged in by replacing `control` and `health` and adding its service
/// to `services`, sharing `fleet` so its assignments reach agents through their heartbeats.
public struct ServerComponents: Sendable {
    public var store: BellwetherStore
    public var fleet: FleetRegistry
    public var bell: EventBell
    /// The OTLP receiver's running totals and exemplars, shared by every OTLP request.
    public var otlp: OTLPReceiver
    /// The OpAMP server's sessions, one per connected agent instance.
    public var opamp: OpAMPSessions
    /// The in-flight budget of heartbeats, observations and OpAMP messages (429 past it).
    public var intake: OTLPAdmission
    /// The exec deploy driver, when the configuration names a deploy command.
    public var deploy: ExecDeployDriver?
    public var control: any RolloutControl
    public var health: any RolloutCheckSource
    /// Run beside the HTTP server in its service group, started before it and stopped after it.
    public var services: [any Service]
    /// The wall clock for heartbeats, audit events and silence; injected so tests can move time.
    public var now: @Sendable () -> Date
    /// Names a new rollout; the default is the policy's name and 8 random hex digits.
    public var newRolloutID: @Sendable (Policy) -> String
    /// Set when the controller runs on a manual clock: `POST /api/v1/clock/advance` moves it.
    public var clock: ClockControl?
    /// The dashboard's signed-in browsers.
    public var sessions: DashboardSessions
    /// The controller's own metrics (`GET /metrics`); its `factory` counts for the other parts.
    public var metrics: ControllerMetrics

    public init(configuration: ServerConfiguration, store: BellwetherStore) {
        self.store = store
        fleet = FleetRegistry(store: store, batchSize: configuration.heartbeatBatchSize, maxAgents: configuration.limits.fleetAgents)
        bell = EventBell()
        otlp = OTLPReceiver(settings: configuration.otlp)
        opamp = OpAMPSessions(settings: configuration.opamp)
        intake = OTLPAdmission(budget: configuration.limits.intake)
        control = NoRolloutControl()
        health = NoRolloutHealth()
        services = []
        now = { Date() }
        newRolloutID = Self.randomID
        metrics = ControllerMetrics()
        sessions = DashboardSessions()
    }

    /// Recognises dashboard sessions on the operator endpoints the page calls.
    var sessionCheck: DashboardSessionCheck {
        DashboardSessionCheck(sessions: sessions, now: now)
    }

    @Sendable static func randomID(for policy: Policy) -> String {
        let slug = policy.name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
        return String(slug.prefix(48)) + "-" + String(repeating: "0", count: 8 - suffix.count) + suffix
    }
}
