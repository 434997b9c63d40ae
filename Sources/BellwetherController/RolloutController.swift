import BellwetherCore
import BellwetherStore
import Foundation
import Logging
import Metrics

/// The control loop: each pass (`tick()`) looks at every active rollout at the clock's `now` and
/// moves it as its policy, its agents and their telemetry say, then tells the fleet what to run.
///
/// Its durable state is the store's and nothing else: a rollout's step and the instants its clocks
/// start from come from the audit log (`StepWindow`), cohorts are recomputed from the rollout id
/// (`CohortPlan`), and each boundary's evaluation is recomputed from stored telemetry
/// (`StepAnalysis`). A controller killed at any instant and started again therefore reaches the
/// same decisions; transitions are compare-and-set (`recordTransition`), so a decision taken on a
/// state someone else changed meanwhile is dropped, never applied twice. What it keeps in memory
/// only saves work (which boundary it already judged, what the sink was already told).
///
/// An actor because passes, `wake()` from operators' commands and the service share that memory.
public actor RolloutController: RolloutHealthProvider {
    let store: BellwetherStore
    let metrics: any MetricSource
    let sink: any AssignmentSink
    public nonisolated let clock: any ControllerClock
    public nonisolated let configuration: ControllerConfiguration
    let logger: Logger
    /// Where the controller's own metrics (`bellwether_analysis_duration_seconds`) are recorded.
    let telemetry: any MetricsFactory
    nonisolated let doorbell = Doorbell()

    /// What the sink was last told, per agent, in this life; empty after a restart, so the first
    /// pass tells the sink every assignment again.
    var announced: [String: AgentAssignment] = [:]
    /// Rollouts this controller assigned agents for while they were active: they release their
    /// agents when they finish.
    var owned: Set<String> = []
    /// The last boundary judged per rollout in this life: passes between two boundaries read no telemetry.
    var judged: [String: JudgedBoundary] = [:]
    /// Each judged step's agent history, read once per step (`StepAnalysis.history`).
    var histories: [HistoryKey: [AgentSample]] = [:]

    /// Every finished pass, in order: what tests and observers await instead of sleeping.
    public nonisolated let completedTicks: AsyncStream<TickReport>
    private let completedTicksContinuation: AsyncStream<TickReport>.Continuation

    /// Most transitions one rollout takes in one pass (start, then converge, then a decision).
    static let transitionsPerPass = 4

    public init(
        store: BellwetherStore,
        metrics: any MetricSource,
        sink: any AssignmentSink = DiscardingAssignmentSink(),
        clock: any ControllerClock,
        configuration: ControllerConfiguration = ControllerConfiguration(),
        logger: Logger = Logger(label: "bellwether.controller"),
        telemetry: any MetricsFactory = MetricsSystem.factory
    ) {
        self.store = store
        self.metrics = metrics
        self.sink = sink
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        self.telemetry = telemetry
        (completedTicks, completedTicksContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    deinit {
        completedTicksContinuation.finish()
    }

    /// One pass over every active rollout at `clock.now`. Never throws: a store or source failure
    /// is logged and leaves the rollout for the next pass.
    @discardableResult
    public func tick() async -> TickReport {
        let now = clock.now
        var report = TickReport(time: now)
        do {
            let active = try store.activeRollouts()
            // A finished rollout's step history is never read again.
            let activeIDs = Set(active.map(\.id))
            histories = histories.filter { activeIDs.contains($0.key.rolloutID) }
            // Reading the fleet costs in proportion to its size: skip it when no rollout is
            // active and none this controller drove is waiting to release its agents.
            guard !active.isEmpty || !owned.isEmpty else {
                completedTicksContinuation.yield(report)
                return report
            }
            let fleet = try store.agents()
            var assignments = try releaseFinished(except: Set(active.map(\.id)), fleet: fleet)
            for rollout in active {
                let plan = await drive(rollout, fleet: fleet, now: now)
                report.states[rollout.id] = plan.rollout.state
                if plan.rollout.state.isTerminal {
                    if owned.remove(rollout.id) != nil { assignments.merge(plan.releases) { _, release in release } }
                } else {
                    if !plan.rollout.dryRun { owned.insert(rollout.id) }
                    assignments.merge(plan.assignments) { _, assignment in assignment }
                }
            }
            report.assigned = try await deliver(assignments, fleet: fleet)
        } catch {
            logger.error("controller pass failed; retrying at the next pass", metadata: ["error": "\(error)"])
        }
        completedTicksContinuation.yield(report)
        return report
    }

    /// Asks for a pass now instead of at the next tick: what an operator's command calls after
    /// recording its transition, so a pause or a promotion takes effect at once.
    public nonisolated func wake() {
        doorbell.ring()
    }

    public nonisolated func latestEvaluation(rolloutID: String) async throws -> RolloutEvaluation? {
        try store.latestEvaluation(rolloutID: rolloutID)
    }
}

/// Which step's history: the rollout, the step, and when its window began.
struct HistoryKey: Sendable, Hashable {
    var rolloutID: String
    var step: Int
    var windowStart: Double
}

/// A boundary of a step's analysis window.
struct JudgedBoundary: Sendable, Hashable {
    var step: Int
    var windowStart: Double
    var boundary: Int

    /// Whether `other` is this boundary or an earlier one of the same window.
    func covers(_ other: JudgedBoundary) -> Bool {
        step == other.step && windowStart == other.windowStart && boundary >= other.boundary
    }
}
