import BellwetherCore
import BellwetherScenarios
import Foundation

/// One simulated collector as a pure, seeded state machine: the records it processes between two
/// instants, what installing a version does to it, when it crashes and restarts. No I/O and no
/// clock of its own: the caller says what time it is, so a test replays an agent's day exactly
/// and the transport (`FleetSimulator`) stays a thin adapter around it.
public struct AgentModel: Sendable {
    public let profile: AgentProfile
    public let settings: SimulationSettings
    /// The version the process runs (the one its telemetry and heartbeats report).
    public private(set) var version: String
    /// When the current process started: counters count from here.
    public private(set) var startTime: Double
    /// How far the simulation has run.
    public private(set) var time: Double
    /// False between a crash and the restart (for good, once a deadly version killed it): a dead
    /// process neither heartbeats nor exports.
    public private(set) var isRunning = true
    public private(set) var records: UInt64 = 0
    public private(set) var failures: UInt64 = 0
    public private(set) var latencyCounts: [UInt64]
    public private(set) var latencySum = 0.0
    /// Traced spans ended since the process started, by outcome.
    public private(set) var spanCalls = SpanCalls()
    /// Every process start after the first: installs and crash-loop restarts.
    public private(set) var restarts = 0
    /// The install under way: the version, when it completes, and whether it will fail.
    public private(set) var pendingInstall: (version: String, at: Double, fails: Bool)?
    /// Versions whose install failed; the agent does not try them again.
    public private(set) var failedInstalls: Set<String> = []

    private var versionsRun: Set<String>
    private var spans: [SimulatedSpan] = []
    private var nextCrash: Double?
    private var restartAt: Double?
    private var recordNumber: UInt64 = 0
    private var random: SplitMix64

    public init(profile: AgentProfile, settings: SimulationSettings, startTime: Double, seed: UInt64) {
        self.profile = profile
        self.settings = settings
        version = settings.stableVersion
        versionsRun = [settings.stableVersion]
        self.startTime = startTime
        time = startTime
        latencyCounts = Array(repeating: 0, count: settings.latencyBounds.count + 1)
        var hash = StableHash()
        hash.combine(profile.id)
        random = SplitMix64(seed: seed ^ hash.value)
        scheduleCrash()
    }

    /// The controller's answer to a heartbeat at `now`: start installing `desired` unless the
    /// agent runs it, installs it already, or failed to install it before. Being told the version
    /// it runs cancels an install under way (a rollback reaching an agent still downloading).
    public mutating func desire(_ desired: String, at now: Double) {
        advance(to: now)
        if desired == version {
            pendingInstall = nil
            return
        }
        guard pendingInstall?.version != desired, !failedInstalls.contains(desired) else { return }
        let delay = settings.installDelay.lowerBound + (settings.installDelay.upperBound - settings.installDelay.lowerBound) * random.openUnit()
        // Going back to a version it ran before always works; only new versions can fail to install.
        let fails = !versionsRun.contains(desired) && random.openUnit() < settings.installFailureRate
        pendingInstall = (desired, now + delay, fails)
    }

    /// Runs the agent up to `now`: processes records, completes installs, crashes and restarts,
    /// in the order they fall.
    public mutating func advance(to now: Double) {
        while time < now {
            var next = now
            if let install = pendingInstall { next = min(next, max(install.at, time)) }
            if isRunning, let crash = nextCrash { next = min(next, crash) }
            if !isRunning, let restart = restartAt { next = min(next, restart) }
            if isRunning { work(from: time, to: next) }
            time = next
            applyEvents()
            if next == now { break }
        }
        applyEvents()
    }

    /// What the SDK would export now: nil while the process is down. Takes the spans ended since
    /// the last report, unless `takingSpans` is false (a Prometheus scrape reads the totals only,
    /// and leaves the spans to an OTLP exporter, if any).
    public mutating func report(at now: Double, takingSpans: Bool = true) -> AgentReport? {
        advance(to: now)
        guard isRunning else { return nil }
        defer { if takingSpans { spans.removeAll(keepingCapacity: true) } }
        return AgentReport(
            agent: profile.id, version: version, labels: profile.labels, startTime: startTime, time: time,
            records: records, failures: failures, latencyCounts: latencyCounts, latencySum: latencySum,
            latencyBounds: settings.latencyBounds, spans: takingSpans ? spans : [], spanCalls: spanCalls
        )
    }

    /// When a dead process comes back, so a heartbeat loop knows how long to wait.
    public var restartTime: Double? { isRunning ? nil : restartAt }

    // MARK: - Events

    private mutating func applyEvents() {
        if let install = pendingInstall, install.at <= time {
            pendingInstall = nil
            if install.fails {
                failedInstalls.insert(install.version)
            } else {
                restart(running: install.version)
            }
        }
        if isRunning, let crash = nextCrash, crash <= time {
            isRunning = false
            nextCrash = nil
            if case .crashLoop(_, let downtime) = settings.behaviour(of: version) {
                restartAt = time + downtime * (0.8 + 0.4 * random.openUnit())
            }
        }
        if !isRunning, let restart = restartAt, restart <= time {
            restartAt = nil
            self.restart(running: version)
        }
    }

    /// A new process: counters from zero with a new start time, as OpenTelemetry SDKs report them.
    private mutating func restart(running newVersion: String) {
        version = newVersion
        versionsRun.insert(newVersion)
        startTime = time
        isRunning = true
        restartAt = nil
        records = 0
        failures = 0
        latencyCounts = Array(repeating: 0, count: settings.latencyBounds.count + 1)
        latencySum = 0
        spanCalls = SpanCalls()
        restarts += 1
        scheduleCrash()
    }

    private mutating func scheduleCrash() {
        switch settings.behaviour(of: version) {
        case .crashLoop(let uptime, _):
            nextCrash = time + uptime * (0.5 + random.openUnit())
        case .dies(let share, let after) where isAmongTheDying(share: share):
            nextCrash = time + after * (0.5 + random.openUnit())
        default:
            nextCrash = nil
        }
    }

    /// Whether this agent is one of the `share` a deadly version kills: by its id alone, so the
    /// same agents die in every run of a seed.
    private func isAmongTheDying(share: Double) -> Bool {
        var hash = StableHash()
        hash.combine("dies")
        hash.combine(profile.id)
        return hash.unitInterval < share
    }

    // MARK: - Work

    /// The records of `start..<end`, drawn in aggregate (counts, not one draw per record) so ten
    /// thousand agents at sixty times real speed cost little; only traced records are drawn one by one.
    private mutating func work(from start: Double, to end: Double) {
        let seconds = end - start
        guard seconds > 0 else { return }
        let behaviour = settings.behaviour(of: version)
        var rate = profile.recordsPerSecond * settings.trafficFactor
        var latencyMedian = profile.latencyMedian
        switch behaviour {
        case .throughputDrop(let factor): rate *= factor
        case .latencyRegression(let factor): latencyMedian *= factor
        case .healthy, .silentKiller, .crashLoop, .dies: break
        }
        let count = random.poisson(mean: rate * seconds)
        guard count > 0 else { return }
        let special = random.binomial(trials: count, probability: profile.specialShare)
        var failed = random.binomial(trials: count, probability: profile.failureRate)
        if behaviour == .silentKiller {
            // Every special record fails; the others fail at the usual rate.
            failed = special + random.binomial(trials: count - special, probability: profile.failureRate)
        }
        records += UInt64(count)
        failures += UInt64(failed)
        recordLatencies(count: count, median: latencyMedian)
        let traced = random.binomial(trials: count, probability: settings.traceSampleRatio)
        for _ in 0..<traced {
            traceRecord(between: start, and: end, silentKiller: behaviour == .silentKiller, median: latencyMedian)
        }
        recordNumber += UInt64(count)
    }

    /// Log-normal processing times, binned as the SDK's histogram bins them: a multinomial over
    /// the buckets by successive binomials.
    private mutating func recordLatencies(count: Int, median: Double) {
        let sigma = settings.latencySpread
        var remaining = count
        var below = 0.0
        for (index, bound) in settings.latencyBounds.enumerated() where remaining > 0 {
            let cumulative = Self.normalCDF((log(bound) - log(median)) / sigma)
            let share = (cumulative - below) / max(1 - below, 1e-12)
            let inBucket = random.binomialAnyProbability(trials: remaining, probability: min(max(share, 0), 1))
            latencyCounts[index] += UInt64(inBucket)
            remaining -= inBucket
            below = cumulative
        }
        latencyCounts[settings.latencyBounds.count] += UInt64(remaining)
        latencySum += Double(count) * median * exp(sigma * sigma / 2)
    }

    private mutating func traceRecord(between start: Double, and end: Double, silentKiller: Bool, median: Double) {
        let isSpecial = random.openUnit() < profile.specialShare
        let outcome: SimulatedSpan.Outcome
        if silentKiller && isSpecial {
            outcome = .incomplete
        } else if random.openUnit() < profile.failureRate {
            outcome = .error(type: "EnrichmentTimeout", message: "geo lookup timed out after 2s")
        } else {
            outcome = .enriched
        }
        let number = recordNumber + UInt64(random.openUnit() * 1_000_000)
        let span = SimulatedSpan(
            traceID: Self.bytes(random.next(), random.next()),
            spanID: Self.bytes(random.next()),
            recordID: "\(profile.id)-\(String(number, radix: 16))",
            recordType: isSpecial ? "refund" : ["order", "invoice", "shipment"][Int(random.next() % 3)],
            start: start + (end - start) * random.openUnit(),
            duration: median * random.lognormalFactor(sigma: settings.latencySpread) * exp(settings.latencySpread * settings.latencySpread / 2),
            outcome: outcome
        )
        spanCalls.count(outcome)
        if spans.count >= settings.spanQueueLimit { spans.removeFirst() }
        spans.append(span)
    }

    private static func bytes(_ words: UInt64...) -> [UInt8] {
        words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * (7 - $0))) } }
    }

    static func normalCDF(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.squareRoot())
    }
}

extension RandomNumberGenerator {
    /// Binomial for any probability: the gap-skipping draw costs about n·min(p, 1−p) steps.
    mutating func binomialAnyProbability(trials: Int, probability: Double) -> Int {
        probability <= 0.5
            ? binomial(trials: trials, probability: probability)
            : trials - binomial(trials: trials, probability: 1 - probability)
    }
}
