import BellwetherCore
import Foundation
import Testing
@testable import BellwetherFleetSim

/// The behaviour model on its own: seeded, pure, driven by the instants the test gives it.
@Suite struct AgentModelTests {
    static let start = 1_800_000_000.0
    static let profile = AgentProfile(
        id: "collector-0001", labels: ["role": "collector", "region": "eu-west"],
        recordsPerSecond: 20, specialShare: 0.2, failureRate: 0.02, latencyMedian: 0.02
    )

    func agent(_ behaviour: VersionBehaviour? = nil, settings: SimulationSettings = SimulationSettings(), seed: UInt64 = 7) -> AgentModel {
        var settings = settings
        if let behaviour { settings.behaviours[settings.stableVersion] = behaviour }
        return AgentModel(profile: Self.profile, settings: settings, startTime: Self.start, seed: seed)
    }

    func reported(_ model: inout AgentModel, at time: Double) throws -> AgentReport {
        let report = model.report(at: time)
        return try #require(report, "the agent is running")
    }

    @Test func theSameSeedReplaysTheSameAgentAndAnotherSeedDoesNot() {
        var first = agent(seed: 3)
        var second = agent(seed: 3)
        var other = agent(seed: 4)
        let reports = [first.report(at: Self.start + 600), second.report(at: Self.start + 600), other.report(at: Self.start + 600)]
        #expect(reports[0] == reports[1])
        #expect(reports[0]?.records != reports[2]?.records)
    }

    @Test func aHealthyAgentProcessesItsTrafficAndFailsAtItsOwnRate() throws {
        var model = agent()
        let report = try reported(&model, at: Self.start + 10_000)
        let records = Double(report.records)
        #expect(abs(records - 200_000) < 200_000 * 0.02, "20 records/s for 10,000 s")
        #expect(abs(Double(report.failures) / records - 0.02) < 0.003)
        #expect(report.latencyCounts.reduce(0, +) == report.records, "every record is in the histogram")
        #expect(abs(report.latencySum / records - 0.02 * exp(0.125)) < 1e-9)
        #expect(report.spans.count > 0 && report.spans.count <= model.settings.spanQueueLimit)
        #expect(report.spans.allSatisfy { $0.outcome != .incomplete }, "healthy versions never give up silently")
    }

    @Test func theSilentKillerFailsEverySpecialRecordWithoutAnError() throws {
        var model = agent(.silentKiller)
        let report = try reported(&model, at: Self.start + 5_000)
        let ratio = Double(report.failures) / Double(report.records)
        #expect(abs(ratio - (0.2 + 0.8 * 0.02)) < 0.01, "refunds (20%) plus the usual 2% of the rest")
        let incomplete = report.spans.filter { $0.outcome == .incomplete }
        #expect(!incomplete.isEmpty)
        #expect(incomplete.allSatisfy { $0.recordType == "refund" && $0.recordID.hasPrefix("collector-0001-") })
        #expect(report.spans.filter { $0.recordType == "refund" }.allSatisfy { $0.outcome == .incomplete })
    }

    @Test func latencyAndThroughputRegressionsShowInTheirSignals() throws {
        var healthy = agent()
        var slow = agent(.latencyRegression(factor: 2.5))
        var starved = agent(.throughputDrop(factor: 0.6))
        let at = Self.start + 5_000
        let (h, s, t) = (try reported(&healthy, at: at), try reported(&slow, at: at), try reported(&starved, at: at))
        #expect(abs(s.latencySum / Double(s.records) / (h.latencySum / Double(h.records)) - 2.5) < 1e-9)
        let beyond100ms = { (report: AgentReport) in Double(report.latencyCounts[6...].reduce(0, +)) / Double(report.records) }
        #expect(beyond100ms(h) < 0.005 && beyond100ms(s) > 0.02)
        #expect(abs(Double(t.records) / Double(h.records) - 0.6) < 0.03)
    }

    @Test func anInstallCompletesAfterItsDelayAndRestartsTheCounters() throws {
        var model = agent(settings: SimulationSettings(installDelay: 20...30, installFailureRate: 0))
        model.desire("2.4.0", at: Self.start + 100)
        let install = try #require(model.pendingInstall)
        #expect(install.at >= Self.start + 120 && install.at <= Self.start + 130)
        #expect(model.report(at: install.at - 0.001)?.version == "2.3.1")
        let after = try reported(&model, at: install.at + 10)
        #expect(after.version == "2.4.0")
        #expect(after.startTime == install.at, "a new process: the receiver sees a new start time")
        #expect(after.records < 20 * 10 * 2, "counting from zero since the restart")
        #expect(model.restarts == 1)
    }

    @Test func beingToldTheRunningVersionCancelsAnInstallUnderWay() {
        var model = agent(settings: SimulationSettings(installDelay: 60...60, installFailureRate: 0))
        model.desire("2.4.0", at: Self.start + 10)
        model.desire("2.3.1", at: Self.start + 30)
        model.advance(to: Self.start + 200)
        #expect(model.version == "2.3.1")
        #expect(model.restarts == 0)
    }

    @Test func aFailedInstallKeepsTheOldVersionAndGoingBackAlwaysWorks() {
        var failing = agent(settings: SimulationSettings(installDelay: 10...10, installFailureRate: 1))
        failing.desire("2.4.0", at: Self.start)
        failing.advance(to: Self.start + 60)
        #expect(failing.version == "2.3.1" && failing.failedInstalls == ["2.4.0"])
        failing.desire("2.4.0", at: Self.start + 70)
        #expect(failing.pendingInstall == nil, "a failed version is not retried")

        var settings = SimulationSettings(installDelay: 10...10, installFailureRate: 0)
        var model = agent(settings: settings)
        model.desire("2.4.0", at: Self.start)
        model.advance(to: Self.start + 20)
        settings.installFailureRate = 1
        #expect(model.version == "2.4.0")
        var rollingBack = AgentModel(profile: Self.profile, settings: settings, startTime: Self.start, seed: 1)
        rollingBack.desire("2.4.0", at: Self.start)
        rollingBack.advance(to: Self.start + 20)
        #expect(rollingBack.version == "2.3.1", "every new install fails at rate 1")
        model.desire("2.3.1", at: Self.start + 30)
        model.advance(to: Self.start + 60)
        #expect(model.version == "2.3.1", "the version it ran before installs")
    }

    @Test func aCrashLoopingAgentGoesSilentAndComesBackWithFreshCounters() throws {
        var model = agent(.crashLoop(uptime: 60, downtime: 20))
        var starts: Set<Double> = []
        var silentReports = 0
        for second in stride(from: 10.0, through: 1_000, by: 10) {
            if let report = model.report(at: Self.start + second) {
                starts.insert(report.startTime)
            } else {
                silentReports += 1
                #expect(model.restartTime != nil)
            }
        }
        #expect(model.restarts >= 8, "about one crash every 80 s")
        #expect(starts.count >= 8, "each restart reports a new start time")
        #expect(silentReports >= 8, "a dead process exports nothing")
    }

    @Test func aDeadlyVersionKillsItsShareOfAgentsForGoodAndSparesTheRest() throws {
        let settings = SimulationSettings(behaviours: ["2.4.0": .dies(share: 0.5, after: 60)])
        var dead = 0
        for profile in AgentProfile.fleet(count: 40, seed: 3) {
            var model = AgentModel(profile: profile, settings: settings, startTime: Self.start, seed: 1)
            model.desire("2.4.0", at: Self.start)
            model.advance(to: Self.start + 60)
            #expect(model.version == "2.4.0")
            model.advance(to: Self.start + 1_000)
            if !model.isRunning {
                dead += 1
                #expect(model.restartTime == nil, "a dead agent never comes back")
                #expect(model.report(at: Self.start + 1_010) == nil, "and exports nothing")
            }
        }
        #expect((12...28).contains(dead), "about half of 40: \(dead)")
    }

    @Test func fleetsSpreadTrafficOverAnOrderOfMagnitudeAndSpecialSharesDiffer() {
        let fleet = AgentProfile.fleet(count: 200, seed: 1)
        let rates = fleet.map(\.recordsPerSecond)
        #expect(Set(fleet.map(\.id)).count == 200)
        #expect(fleet.allSatisfy { $0.labels["role"] == "collector" })
        #expect(Set(fleet.compactMap { $0.labels["region"] }).count == 5)
        #expect(rates.max()! / rates.min()! > 10)
        #expect(Set(fleet.map(\.specialShare)).count == 200)
        #expect(AgentProfile.fleet(count: 200, seed: 1) == fleet)
    }
}
