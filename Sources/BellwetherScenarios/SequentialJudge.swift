import BellwetherCore

/// A judge that watches a step as the controller would: it takes per-agent samples as they
/// arrive and is asked for a verdict at each interval boundary. Bellwether's engine and the
/// reference judges all take this shape so one driver feeds them identical data.
public protocol SequentialJudge {
    /// A sample that falls in interval `interval` (0-based) of the grid.
    mutating func ingest(_ sample: AgentSample, interval: Int)
    /// The verdict at boundary `index` (1-based), on every sample of intervals 0..<index.
    mutating func evaluate(_ index: Int, time: Double) -> JudgeStep
    /// What an agent did on the stable version before the step, given before any sample.
    mutating func ingestHistory(_ sample: AgentSample)
}

extension SequentialJudge {
    /// The reference judges, as deployed, compare the cohorts within the step only.
    public mutating func ingestHistory(_ sample: AgentSample) {}
}

/// What a judge says at one boundary.
public enum JudgeStep: Sendable, Hashable {
    case keepWatching
    /// The canary is judged worse: a rollback (or halt on a failed check).
    case alarm
    /// The step ended without an alarm, with the reason (promoted, halted for missing data …).
    case stop(String)
}

/// How a judge's watch over one stream ended.
public struct JudgeOutcome: Sendable, Hashable {
    public var alarmed: Bool
    /// When it alarmed or stopped; nil when the stream ended first.
    public var time: Double?
    /// Why it stopped without an alarm, if it did.
    public var stopReason: String?

    public init(alarmed: Bool, time: Double?, stopReason: String? = nil) {
        self.alarmed = alarmed
        self.time = time
        self.stopReason = stopReason
    }
}

/// Feeds samples to a judge in time order and asks for a verdict at every boundary once all of
/// that interval's data is in, exactly as `ReplayAnalysis` drives the engine: a boundary is
/// judged when a later sample arrives, and the last ones when the stream ends.
public enum JudgeDriver {
    /// - Parameter evaluations: the last boundary to judge (the bake time over the interval).
    public static func run<Judge: SequentialJudge>(_ judge: inout Judge, samples: [AgentSample], history: [AgentSample] = [], interval: Double, evaluations: Int) -> JudgeOutcome {
        guard let first = samples.first else { return JudgeOutcome(alarmed: false, time: nil) }
        for sample in history { judge.ingestHistory(sample) }
        let grid = IntervalGrid(start: first.time, interval: interval)
        var evaluated = 0
        func judgeBoundaries(through time: Double, inclusive: Bool) -> JudgeOutcome? {
            while evaluated < evaluations {
                let boundary = grid.boundary(evaluated + 1)
                guard inclusive ? boundary <= time : boundary < time else { return nil }
                evaluated += 1
                switch judge.evaluate(evaluated, time: boundary) {
                case .keepWatching: continue
                case .alarm: return JudgeOutcome(alarmed: true, time: boundary)
                case .stop(let reason): return JudgeOutcome(alarmed: false, time: boundary, stopReason: reason)
                }
            }
            return JudgeOutcome(alarmed: false, time: grid.boundary(evaluations), stopReason: "watched every boundary")
        }
        for sample in samples {
            if let outcome = judgeBoundaries(through: sample.time, inclusive: false) { return outcome }
            judge.ingest(sample, interval: grid.index(at: sample.time))
        }
        return judgeBoundaries(through: samples.last!.time, inclusive: true)
            ?? JudgeOutcome(alarmed: false, time: nil, stopReason: "the stream ended")
    }
}
