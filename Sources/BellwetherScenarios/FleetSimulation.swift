import BellwetherCore

/// Generates the stream of one step for a scenario and a seed: pure and deterministic, so the
/// same seed gives the same stream bit for bit on every machine.
///
/// Each agent gets a traffic rate and a failure probability (lognormal around the fleet
/// averages), a share of special records, a report phase and possibly a dropout time. Every
/// report window then draws its records ~ Poisson(rate × window) and its failures ~
/// Binomial(records, probability). A restart strikes at a uniform instant of a window with the
/// scenario's hourly rate: the records processed before it were never exported, and the
/// counters restart from zero, which is how an agent process that crashed looks from outside.
public struct FleetSimulation: Sendable {
    public let scenario: FleetScenario

    public init(scenario: FleetScenario) {
        self.scenario = scenario
    }

    public func stream(seed: UInt64) -> SimulatedStream {
        var random = SplitMix64(seed: seed)
        let agents = drawAgents(&random)
        var observations: [ReplayObservation] = []
        var truths: [ReportTruth] = []
        for agent in agents {
            report(agent, into: &observations, truths: &truths, random: &random)
        }
        // Time, then agent id: a total order (an agent's own times strictly increase), so the
        // stream depends on nothing but the seed.
        observations.sort { ($0.time, $0.agent) < ($1.time, $1.agent) }
        truths.sort { ($0.time, $0.agent) < ($1.time, $1.agent) }
        var stream = SimulatedStream(scenario: scenario, agents: agents, observations: observations, reports: truths)
        stream.history = history(of: agents, seed: seed)
        return stream
    }

    /// What every agent did on the stable version in the hour before the step, as one sample
    /// each. Drawn from a generator of its own, so the step's stream is the same with or without
    /// it and judges that take no history see identical data.
    private func history(of agents: [SimulatedAgent], seed: UInt64) -> [AgentSample] {
        guard scenario.historySeconds > 0 else { return [] }
        var random = SplitMix64(seed: SplitMix64.mix(seed ^ 0x4157_0B15_7021))
        return agents.map { agent in
            let records = random.poisson(mean: agent.recordsPerSecond * scenario.historySeconds)
            let failures = random.binomial(trials: records, probability: agent.stableFailureProbability)
            return AgentSample(
                agent: agent.id, cohort: agent.cohort, time: scenario.start, coveredSeconds: scenario.historySeconds,
                counters: [FleetMetrics.records: Double(records), FleetMetrics.failures: Double(failures)]
            )
        }
    }

    private func drawAgents(_ random: inout SplitMix64) -> [SimulatedAgent] {
        let roles = Array(repeating: CohortRole.canary, count: scenario.canaryAgents)
            + Array(repeating: CohortRole.baseline, count: scenario.baselineAgents)
        var counts: [CohortRole: Int] = [:]
        return roles.map { role in
            counts[role, default: 0] += 1
            let traffic = scenario.recordsPerSecond * random.lognormalFactor(sigma: scenario.trafficSigma)
            let stable = min(1, scenario.baseFailureRate * random.lognormalFactor(sigma: scenario.failureSigma))
            var share = 0.0
            if case .specialCase(let shares) = scenario.effect {
                share = shares.lowerBound + (shares.upperBound - shares.lowerBound) * random.openUnit()
            }
            let phase = scenario.reportSeconds * (1 - random.openUnit())
            let dropout = random.openUnit() < scenario.dropoutShare ? scenario.durationSeconds * random.openUnit() : nil
            return SimulatedAgent(
                id: String(format: "%@-%03d", role.rawValue, counts[role]!),
                cohort: role,
                recordsPerSecond: traffic,
                stableFailureProbability: stable,
                failureProbability: role == .canary ? scenario.effect.canaryProbability(base: stable, specialShare: share) : stable,
                specialShare: share,
                phase: phase,
                dropout: dropout
            )
        }
    }

    private func report(_ agent: SimulatedAgent, into observations: inout [ReplayObservation], truths: inout [ReportTruth], random: inout SplitMix64) {
        let end = min(scenario.durationSeconds, agent.dropout ?? .infinity)
        let restartChance = scenario.restartsPerHour * scenario.reportSeconds / 3_600
        var records = 0, failures = 0
        var previous = 0.0
        var offset = agent.phase
        while offset <= end {
            let window = offset - previous
            let processed = random.poisson(mean: agent.recordsPerSecond * window)
            let failed = random.binomial(trials: processed, probability: agent.failureProbability)
            if restartChance > 0, random.openUnit() < restartChance {
                // Only what was processed after the restart reaches the new counters.
                let kept = random.binomial(trials: processed, probability: random.openUnit())
                let keptFailures = hypergeometricShare(failed, of: processed, kept: kept, random: &random)
                records = kept
                failures = keptFailures
            } else {
                records += processed
                failures += failed
            }
            var observation = ReplayObservation(
                time: scenario.start + offset, agent: agent.id, cohort: agent.cohort,
                version: agent.cohort == .canary ? "2.4.0" : "2.3.1"
            )
            observation.counters = [FleetMetrics.records: Double(records), FleetMetrics.failures: Double(failures)]
            observations.append(observation)
            truths.append(ReportTruth(
                time: scenario.start + offset, windowSeconds: window, agent: agent.id, cohort: agent.cohort,
                records: processed, failures: failed,
                stableProbability: agent.stableFailureProbability, canaryProbability: agent.failureProbability
            ))
            previous = offset
            offset += scenario.reportSeconds
        }
    }

    /// How many of `failed` failures among `processed` records fall in a random subset of `kept`
    /// of them: drawn record by record, so failures are spread over the window like any record.
    private func hypergeometricShare(_ failed: Int, of processed: Int, kept: Int, random: inout SplitMix64) -> Int {
        var remainingFailures = failed, remaining = processed, chosen = 0
        for _ in 0..<kept where remaining > 0 {
            if Double(remainingFailures) > Double(remaining) * random.openUnit() {
                remainingFailures -= 1
                chosen += 1
            }
            remaining -= 1
        }
        return chosen
    }
}
