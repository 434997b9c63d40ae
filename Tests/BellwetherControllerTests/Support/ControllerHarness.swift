import BellwetherController
import BellwetherCore
import BellwetherStore
import Foundation
import Logging

/// A controller on a manual clock over a real store, with a test fleet that reports every
/// `reportEvery` seconds and installs what the recording sink was told. `run` plays the fleet and
/// the controller in lockstep: advance the clock, let the agents act, run one controller pass.
struct ControllerHarness {
    var store: BellwetherStore
    let clock: ManualClock
    var fleet: TestFleet
    let sink: RecordingAssignmentSink
    var metrics: any MetricSource
    var controller: RolloutController
    var reportEvery: TimeInterval = 10

    init(
        store: BellwetherStore? = nil,
        fleet: TestFleet = TestFleet(),
        clock: ManualClock = ManualClock(now: ControllerFixtures.t0),
        sink: RecordingAssignmentSink = RecordingAssignmentSink(),
        metrics: (any MetricSource)? = nil,
        reportsAtStart: Bool = true
    ) throws {
        let store = try store ?? .inMemory()
        self.store = store
        self.clock = clock
        self.fleet = fleet
        self.sink = sink
        self.metrics = metrics ?? EmbeddedMetricSource(store: store)
        controller = RolloutController(store: store, metrics: self.metrics, sink: sink, clock: clock, logger: Self.logger)
        if reportsAtStart {
            try self.fleet.live(at: clock.now, assignments: sink.current, store: store)
        }
    }

    /// Warnings and errors only: a test's transitions are asserted, not read in its output.
    static let logger: Logger = {
        var logger = Logger(label: "bellwether.controller.test")
        logger.logLevel = .warning
        return logger
    }()

    func start(_ rollout: Rollout = ControllerFixtures.rollout()) throws {
        try store.startRollout(rollout, policySource: "", actor: "alice")
    }

    /// One report period: the clock moves on, the fleet acts, the controller passes once.
    @discardableResult
    mutating func step() async throws -> TickReport {
        clock.advance(by: reportEvery)
        try fleet.live(at: clock.now, assignments: sink.current, store: store)
        return await controller.tick()
    }

    /// Report periods for `seconds` of controller time.
    mutating func run(for seconds: TimeInterval) async throws {
        for _ in 0..<Int((seconds / reportEvery).rounded(.up)) {
            try await step()
        }
    }

    /// Report periods until rollout `id` reaches a state `done` accepts, at most `limit` seconds.
    @discardableResult
    mutating func run(_ id: String = "r1", until done: (RolloutState) -> Bool, limit: TimeInterval = 3600) async throws -> RolloutState {
        var state = try store.rollout(id: id).state
        var elapsed: TimeInterval = 0
        while !done(state), elapsed < limit {
            try await step()
            elapsed += reportEvery
            state = try store.rollout(id: id).state
        }
        return state
    }

    /// The kinds of rollout `id`'s audit events, in order.
    func auditKinds(_ id: String = "r1") throws -> [String] {
        try store.events(rolloutID: id).map(\.kind)
    }

    func desiredVersions() throws -> [String: String?] {
        Dictionary(uniqueKeysWithValues: try store.agents().map { ($0.id, $0.desiredVersion) })
    }
}
