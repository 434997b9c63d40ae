import BellwetherCore
import BellwetherScenarios
import Testing

/// The calibrated reference judges: the search picks the setting that alarms most readily
/// within the false-alarm budget, and the statistic each judge reports over a bake says exactly
/// which settings would have alarmed on that stream.
@Suite struct FalseAlarmCalibrationTests {
    @Test func theBudgetCountsWholeStreams() {
        #expect(FalseAlarmCalibration.allowedAlarms(rate: 0.01, streams: 400) == 4)
        #expect(FalseAlarmCalibration.allowedAlarms(rate: 0.01, streams: 1_000) == 10)
        #expect(FalseAlarmCalibration.allowedAlarms(rate: 0.01, streams: 99) == 0)
    }

    /// 100 A/A streams that failed 0, 1, …, 99 intervals: at 1% one stream may alarm, so the
    /// limit is 99 (only the stream that failed 99 reaches it); 98 would alarm on two.
    @Test func theLimitIsTheSmallestThatKeepsTheBudget() {
        let failed = Array((0..<100).reversed())
        let limit = FalseAlarmCalibration.smallestFailureLimit(failedIntervals: failed, rate: 0.01)
        #expect(limit == 99)
        #expect(FalseAlarmCalibration.falseAlarmRate(failedIntervals: failed, limit: limit) <= 0.01)
        #expect(FalseAlarmCalibration.falseAlarmRate(failedIntervals: failed, limit: limit - 1) > 0.01)
    }

    /// Three streams tie at the top with 5 failed intervals; one may alarm, so none of them may:
    /// the limit is 6.
    @Test func streamsTiedAtTheBoundaryAreAllKeptOut() {
        let failed = [5, 5, 5] + Array(repeating: 1, count: 97)
        #expect(FalseAlarmCalibration.smallestFailureLimit(failedIntervals: failed, rate: 0.01) == 6)
    }

    /// Fewer than 100 streams allow no alarm at 1%: the limit is beyond every stream's count.
    @Test func noBudgetMeansALimitNoStreamReaches() {
        let failed = [0, 3, 7, 2]
        #expect(FalseAlarmCalibration.smallestFailureLimit(failedIntervals: failed, rate: 0.01) == 8)
    }

    /// Healthy streams that never fail an interval: a single failed interval is already rare
    /// enough, so the limit does not go below 1.
    @Test func theLimitIsAtLeastOne() {
        #expect(FalseAlarmCalibration.smallestFailureLimit(failedIntervals: Array(repeating: 0, count: 200), rate: 0.01) == 1)
    }

    /// 100 streams with smallest p-values 0.001, 0.002, …, 0.1: one may alarm, so the level is
    /// 0.002 (only 0.001 lies below it); any larger level lets 0.002 through as well.
    @Test func theLevelIsTheLargestThatKeepsTheBudget() {
        let pValues = (1...100).map { Double($0) / 1_000 }
        let level = FalseAlarmCalibration.largestLevel(smallestPValues: pValues, rate: 0.01)
        #expect(level == 0.002)
        #expect(FalseAlarmCalibration.falseAlarmRate(smallestPValues: pValues, level: level) <= 0.01)
        #expect(FalseAlarmCalibration.falseAlarmRate(smallestPValues: pValues, level: level.nextUp) > 0.01)
    }

    /// One run with an unreachable limit tells which limits alarm: exactly those up to its count.
    @Test(arguments: [UInt64(1), 2, 3])
    func theFixedThresholdAlarmsExactlyAtLimitsItsCountReaches(seed: UInt64) {
        let samples = Self.stream(seed: seed)
        var unlimited = FixedThresholdJudge(tolerance: 0.1, failureLimit: .max)
        _ = JudgeDriver.run(&unlimited, samples: samples, interval: 30, evaluations: Self.evaluations)
        let count = unlimited.failedIntervals
        let alarmsAtCount = Self.fixedAlarms(samples, limit: count)
        let alarmsBeyond = Self.fixedAlarms(samples, limit: count + 1)
        #expect(count > 0)
        #expect(alarmsAtCount)
        #expect(!alarmsBeyond)
    }

    /// One run at level 0 tells which levels alarm: exactly those above its smallest p-value.
    /// (Streams on which the effect-size gate held at some look.)
    @Test(arguments: [UInt64(1), 3, 4])
    func theKayentaJudgeAlarmsExactlyAtLevelsAboveItsSmallestPValue(seed: UInt64) {
        let samples = Self.stream(seed: seed)
        var never = KayentaJudge(tolerance: 0.1, alpha: 0)
        _ = JudgeDriver.run(&never, samples: samples, interval: 30, evaluations: Self.evaluations)
        let smallest = never.smallestPValue
        let alarmsAbove = Self.kayentaAlarms(samples, level: smallest.nextUp)
        let alarmsAt = Self.kayentaAlarms(samples, level: smallest)
        #expect(smallest < 1)
        #expect(alarmsAbove)
        #expect(!alarmsAt)
    }

    static let evaluations = 40

    /// 20 minutes of a small healthy fleet, as an A/A calibration stream.
    static func stream(seed: UInt64) -> [AgentSample] {
        let fleet = FleetScenario(name: "calibration", canaryAgents: 6, baselineAgents: 6, durationSeconds: 1_230)
        return FleetSimulation(scenario: fleet).stream(seed: seed).samples()
    }

    static func fixedAlarms(_ samples: [AgentSample], limit: Int) -> Bool {
        var judge = FixedThresholdJudge(tolerance: 0.1, failureLimit: limit)
        return JudgeDriver.run(&judge, samples: samples, interval: 30, evaluations: evaluations).alarmed
    }

    static func kayentaAlarms(_ samples: [AgentSample], level: Double) -> Bool {
        var judge = KayentaJudge(tolerance: 0.1, alpha: level)
        return JudgeDriver.run(&judge, samples: samples, interval: 30, evaluations: evaluations).alarmed
    }
}
