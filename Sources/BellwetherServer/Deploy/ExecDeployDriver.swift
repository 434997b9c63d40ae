import BellwetherCore
import BellwetherStore
import Foundation
import Logging

/// Runs the configured deploy command for each agent whose desired version changes, for fleets
/// with no updater of their own (`deploy/drivers/ssh-systemd.sh {agent} {version} {url} {sha256}`).
///
/// The control loop only hands assignments over (`enqueue` returns at once); commands run on
/// their own tasks, at most `concurrency` at a time, each killed at `timeout` and retried with a
/// doubling backoff, every attempt written to the store beside the rollout's audit log. Success
/// is never the exit code alone: an agent that already reports the desired version is not
/// deployed to again (nor to begin with: baseline agents told to keep their version cost
/// nothing), and whether a deploy worked is judged, as for every agent, by the version it then
/// reports.
public actor ExecDeployDriver {
    public typealias Sleep = @Sendable (Duration) async throws -> Void

    private let command: DeployCommandTemplate
    private let settings: DeploySettings
    private let store: BellwetherStore
    private let reportedVersion: @Sendable (String) async -> String?
    private let now: @Sendable () -> Date
    private let sleep: Sleep
    private let logger: Logger
    /// The latest assignment of each agent waiting for a free slot, in arrival order.
    private var pending: [String: AgentAssignment] = [:]
    private var queue: [String] = []
    private var running: Set<String> = []
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    /// `reportedVersion` says what an agent reports running (the fleet registry); `sleep` waits
    /// out a backoff (tests pass a short one).
    public init(
        command: DeployCommandTemplate, settings: DeploySettings, store: BellwetherStore,
        reportedVersion: @escaping @Sendable (String) async -> String?, now: @escaping @Sendable () -> Date,
        sleep: @escaping Sleep = { try await Task.sleep(for: $0) }, logger: Logger = Logger(label: "bellwether.deploy")
    ) {
        self.command = command
        self.settings = settings
        self.store = store
        self.reportedVersion = reportedVersion
        self.now = now
        self.sleep = sleep
        self.logger = logger
    }

    /// Takes the assignments that changed; a newer assignment of an agent replaces one still
    /// waiting. "Keep what you run" (no desired version) needs no command.
    public func enqueue(_ assignments: [String: AgentAssignment]) {
        for (agent, assignment) in assignments.sorted(by: { $0.key < $1.key }) where assignment.desiredVersion != nil {
            if pending.updateValue(assignment, forKey: agent) == nil { queue.append(agent) }
        }
        pump()
    }

    /// Returns once no command runs or waits: what tests await instead of sleeping.
    public func waitUntilIdle() async {
        guard !isIdle else { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private var isIdle: Bool { pending.isEmpty && running.isEmpty }

    private func pump() {
        var index = 0
        while running.count < max(settings.concurrency, 1), index < queue.count {
            let agent = queue[index]
            // One command per agent at a time: its newer assignment waits for the older to end.
            guard !running.contains(agent), let assignment = pending.removeValue(forKey: agent) else {
                index += 1
                continue
            }
            queue.remove(at: index)
            running.insert(agent)
            Task { await self.deploy(agent: agent, assignment: assignment) }
        }
        if isIdle {
            for waiter in idleWaiters { waiter.resume() }
            idleWaiters = []
        }
    }

    private func deploy(agent: String, assignment: AgentAssignment) async {
        defer {
            running.remove(agent)
            pump()
        }
        guard let version = assignment.desiredVersion else { return }
        let arguments = command.arguments([
            "agent": agent, "version": version, "url": assignment.artifact?.url ?? "", "sha256": assignment.artifact?.sha256 ?? "",
            "rollout": assignment.rolloutID ?? "", "cohort": assignment.cohort ?? "",
        ])
        var backoff = settings.backoff
        for attempt in 1...max(settings.attempts, 1) {
            // Superseded by a newer assignment, or already there: nothing more to do.
            if pending[agent] != nil { return }
            if await reportedVersion(agent) == version { return }
            let started = now()
            let result = await ChildProcess.run(arguments, timeout: settings.timeout)
            let run = Self.run(result, rolloutID: assignment.rolloutID, agent: agent, version: version, attempt: attempt, started: started, finished: now())
            do {
                try store.recordDeployRun(run)
            } catch {
                logger.error("could not record a deploy run", metadata: ["agent": "\(agent)", "error": "\(error)"])
            }
            if run.outcome == .exited { return }
            logger.warning("deploy command \(run.outcome.rawValue)", metadata: ["agent": "\(agent)", "version": "\(version)", "attempt": "\(attempt)"])
            guard attempt < settings.attempts else { return }
            try? await sleep(backoff)
            backoff *= 2
        }
    }

    private static func run(
        _ result: ChildProcess.Result, rolloutID: String?, agent: String, version: String, attempt: Int, started: Date, finished: Date
    ) -> DeployRun {
        let (outcome, code, note): (DeployRun.Outcome, Int?, String) = switch result.status {
        case .exited(0): (.exited, 0, "")
        case .exited(let code): (.failed, Int(code), "")
        case .signalled(let signal): (.failed, nil, "killed by signal \(signal)\n")
        case .timedOut: (.timedOut, nil, "")
        case .notStarted(let reason): (.notStarted, nil, reason)
        }
        return DeployRun(
            rolloutID: rolloutID, agent: agent, version: version, attempt: attempt, startedAt: started, finishedAt: finished,
            outcome: outcome, exitCode: code, output: result.output + note
        )
    }
}

extension ExecDeployDriver {
    /// The driver a configuration asks for, reading agents' versions from `fleet`; nil without a
    /// deploy command.
    init?(configuration: ServerConfiguration, store: BellwetherStore, fleet: FleetRegistry, now: @escaping @Sendable () -> Date) {
        guard let command = configuration.deploy.command else { return nil }
        self.init(command: command, settings: configuration.deploy, store: store, reportedVersion: { await fleet.member(id: $0)?.agent.version }, now: now)
    }
}
