import BellwetherAPI
import BellwetherCore
import Foundation
import Synchronization

/// N simulated collectors talking to a controller over HTTP, each a lightweight task that
/// heartbeats and honours the version it is told, with their OpenTelemetry exports sent every
/// `exportInterval` in batches of `batchSize` agents' resources (one request per batch and
/// signal, as a Collector forwards its agents' telemetry). Runs on the injected clock, so the
/// demo's `--speed` moves the fleet and the controller together.
public final class FleetSimulator: Sendable {
    public struct Configuration: Sendable {
        public var agents: Int
        public var seed: UInt64
        public var settings: SimulationSettings
        /// Seconds of fleet time between two exports (OpenTelemetry's default is 60; 10 gives the
        /// 30-second analysis intervals of the demo policy several points each).
        public var exportInterval: Double
        /// Agents' resources per export request; 1 sends each agent's own requests.
        public var batchSize: Int
        public var idPrefix: String
        /// False when agents' telemetry reaches the controller another way (Prometheus scraping
        /// `exposition`, as behind a Collector): no OTLP is sent.
        public var exportsOTLP: Bool

        public init(
            agents: Int = 200, seed: UInt64 = 1, settings: SimulationSettings = SimulationSettings(), exportInterval: Double = 10, batchSize: Int = 25,
            idPrefix: String = "collector", exportsOTLP: Bool = true
        ) {
            self.exportsOTLP = exportsOTLP
            self.agents = agents
            self.seed = seed
            self.settings = settings
            self.exportInterval = exportInterval
            self.batchSize = batchSize
            self.idPrefix = idPrefix
        }
    }

    /// One agent's state, shared by its heartbeat task and its batch's export task.
    final class AgentCell: Sendable {
        let model: Mutex<AgentModel>
        let labels: [String: String]
        let id: String

        init(_ model: AgentModel) {
            self.model = Mutex(model)
            labels = model.profile.labels
            id = model.profile.id
        }
    }

    private struct CheckIns {
        var agents: Set<String> = []
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    public let configuration: Configuration
    private let cells: [AgentCell]
    private let cellsByID: [String: AgentCell]
    private let transport: FleetTransport
    private let clock: any ControllerClock
    private let counters = Mutex(FleetCounters())
    private let checkIns = Mutex(CheckIns())

    public init(configuration: Configuration, transport: FleetTransport, clock: any ControllerClock) {
        self.configuration = configuration
        self.transport = transport
        self.clock = clock
        let start = clock.now.timeIntervalSince1970
        cells = AgentProfile.fleet(count: configuration.agents, seed: configuration.seed, idPrefix: configuration.idPrefix).map {
            AgentCell(AgentModel(profile: $0, settings: configuration.settings, startTime: start, seed: configuration.seed))
        }
        cellsByID = Dictionary(cells.map { ($0.id, $0) }) { first, _ in first }
    }

    public var sent: FleetCounters { counters.withLock { $0 } }

    /// The tasks `run()` starts, each of which waits on the clock between its requests: on a
    /// `ManualClock`, the fleet is idle (every request answered) when this many are asleep.
    public var taskCount: Int {
        let batch = max(1, configuration.batchSize)
        return cells.count + (configuration.exportsOTLP ? (cells.count + batch - 1) / batch : 0)
    }

    /// The agents' metrics now, as Prometheus scrapes them behind a Collector: every running agent,
    /// or only `agent` (nil when no such agent exists or its process is down). Without OTLP
    /// exports the scrape also drops the spans ended since the last one, which nobody else takes.
    public func exposition(of agent: String? = nil) -> PrometheusExposition? {
        let now = clock.now.timeIntervalSince1970
        let chosen = agent.map { id in cellsByID[id].map { [$0] } ?? [] } ?? cells
        if agent != nil, chosen.isEmpty { return nil }
        let reports = chosen.compactMap { cell in
            cell.model.withLock { $0.report(at: now, takingSpans: !configuration.exportsOTLP) }
        }
        if agent != nil, reports.isEmpty { return nil }
        return PrometheusExposition(reports: reports)
    }

    public func hasAgent(_ id: String) -> Bool { cellsByID[id] != nil }

    /// Every agent as a Prometheus scrape target on a listener at `address` (`HOST:PORT`).
    public func scrapeTargets(address: String) -> PrometheusTargets {
        PrometheusTargets(agents: cells.map(\.id), address: address)
    }

    /// How many agents run each version now.
    public var versions: [String: Int] {
        cells.reduce(into: [:]) { counts, cell in counts[cell.model.withLock { $0.version }, default: 0] += 1 }
    }

    /// The agents' profiles, for a narration of the fleet's spread.
    public var profiles: [AgentProfile] { cells.map { $0.model.withLock { $0.profile } } }

    /// Agents that have had a heartbeat answered.
    public var checkedIn: Int { checkIns.withLock { $0.agents.count } }

    /// Returns once every agent has had a heartbeat answered.
    public func waitUntilCheckedIn() async {
        await withCheckedContinuation { continuation in
            let done = checkIns.withLock { state in
                if state.agents.count >= cells.count { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Runs every agent until the task is cancelled.
    public func run() async {
        let batches = stride(from: 0, to: cells.count, by: max(1, configuration.batchSize)).map {
            Array(cells[$0..<min($0 + max(1, configuration.batchSize), cells.count)])
        }
        await withTaskGroup(of: Void.self) { group in
            for (index, cell) in cells.enumerated() {
                let phase = Double(index) / Double(max(1, cells.count))
                group.addTask { await self.heartbeats(cell, phase: phase) }
            }
            for (index, batch) in batches.enumerated() where configuration.exportsOTLP {
                let phase = Double(index) / Double(batches.count)
                group.addTask { await self.exports(batch, phase: phase) }
            }
        }
    }

    // MARK: - Heartbeats

    private func heartbeats(_ cell: AgentCell, phase: Double) async {
        var interval = 15.0
        var next = clock.now.addingTimeInterval(phase * interval)
        while !Task.isCancelled {
            do { try await clock.sleep(until: next) } catch { return }
            let now = clock.now.timeIntervalSince1970
            let (running, version, restart) = cell.model.withLock { model in
                model.advance(to: now)
                return (model.isRunning, model.version, model.restartTime)
            }
            guard running else {
                next = Date(timeIntervalSince1970: restart ?? now + interval)
                continue
            }
            do {
                let request = HeartbeatRequest(id: cell.id, version: version, labels: cell.labels)
                let reply = try await Self.uncancelled { [transport] () async throws(FleetTransportError) in try await transport.heartbeat(request) }
                let answered = clock.now.timeIntervalSince1970
                cell.model.withLock { $0.desire(reply.desiredVersion, at: answered) }
                interval = Double(max(1, reply.heartbeatSeconds))
                counters.withLock { $0.heartbeats += 1 }
                checkedIn(cell.id)
            } catch {
                counters.withLock {
                    $0.heartbeatErrors += 1
                    $0.lastError = error.description
                }
            }
            next = Date(timeIntervalSince1970: now + interval)
        }
    }

    private func checkedIn(_ agent: String) {
        let waiters = checkIns.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.agents.insert(agent).inserted, state.agents.count >= cells.count else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - Exports

    private func exports(_ batch: [AgentCell], phase: Double) async {
        let interval = configuration.exportInterval
        var next = clock.now.addingTimeInterval(interval * (1 + phase))
        while !Task.isCancelled {
            do { try await clock.sleep(until: next) } catch { return }
            let now = clock.now.timeIntervalSince1970
            let reports = batch.compactMap { cell in cell.model.withLock { $0.report(at: now) } }
            if !reports.isEmpty {
                await send("metrics", { try OTLPExport.metrics(reports).serializedData() }) { $0.metricExports += 1 }
                if let traces = OTLPExport.traces(reports) {
                    let spans = reports.reduce(0) { $0 + $1.spans.count }
                    await send("traces", { try traces.serializedData() }) {
                        $0.traceExports += 1
                        $0.spans += spans
                    }
                }
            }
            next = max(next.addingTimeInterval(interval), clock.now)
        }
    }

    /// Runs a request to its end even when the fleet is being stopped, so the controller never
    /// sees a request cut off halfway; stopping only interrupts the waits between requests.
    private static func uncancelled<T: Sendable>(_ request: @escaping @Sendable () async throws(FleetTransportError) -> T) async throws(FleetTransportError) -> T {
        let result = await Task { () -> Result<T, FleetTransportError> in
            do throws(FleetTransportError) {
                return .success(try await request())
            } catch {
                return .failure(error)
            }
        }.value
        return try result.get()
    }

    private func send(_ signal: String, _ encode: () throws -> Data, counted: (inout FleetCounters) -> Void) async {
        do {
            let body = try encode()
            try await Self.uncancelled { [transport] () async throws(FleetTransportError) in try await transport.export(signal, protobuf: body) }
            counters.withLock { counted(&$0) }
        } catch {
            counters.withLock {
                $0.exportErrors += 1
                $0.lastError = "\(error)"
            }
        }
    }
}
