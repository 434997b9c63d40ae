import BellwetherCore
import BellwetherStore
import Foundation
import Testing
@testable import BellwetherNotifications

/// What a policy that chose not to act tells people: a dry-run check's failure and a promotion
/// past an inconclusive check are notified although no alarming state is entered; a pause a
/// policy asked for alerts as a warning, a halt as critical.
@Suite struct PolicyChoiceNoticeTests {
    static func event(_ event: RolloutEvent, from: RolloutState, to: RolloutState) -> RolloutAuditEvent {
        RolloutAuditEvent(
            id: 1, rolloutID: "r", revision: 2, at: Date(timeIntervalSince1970: 1_000), kind: event.kind,
            from: from, to: to, actor: "controller", reason: "because", event: event
        )
    }

    @Test func aDryRunFailureAndAPromotionPastAnInconclusiveCheckAreNotified() {
        #expect(NotificationTrigger.notifies(Self.event(
            .dryRunCheckFailed(check: "p99", evidence: "slower"), from: .progressing(step: 0), to: .progressing(step: 0)
        )))
        #expect(NotificationTrigger.notifies(Self.event(
            .checkInconclusive(check: "throughput", action: .continue, detail: "baked"), from: .progressing(step: 0), to: .progressing(step: 1)
        )))
        #expect(NotificationTrigger.notifies(Self.event(
            .promotionHeld(step: 0, freeze: "frozen by alice since 2027-01-15T08:00:00Z: close"), from: .progressing(step: 0), to: .progressing(step: 0)
        )))
        #expect(!NotificationTrigger.notifies(Self.event(.stepBaked(step: 0), from: .progressing(step: 0), to: .progressing(step: 1))),
                "an ordinary promotion stays quiet")
    }

    @Test func aPolicysPauseIsAWarningAndItsHaltCritical() {
        let paused = Self.event(.checkInconclusive(check: "throughput", action: .pause, detail: "ended"), from: .progressing(step: 0), to: .halted(step: 0))
        let halted = Self.event(.checkInconclusive(check: "throughput", action: .halt, detail: "ended"), from: .progressing(step: 0), to: .halted(step: 0))
        #expect(NotificationTrigger.notifies(paused) && NotificationTrigger.notifies(halted))
        #expect(AlertmanagerAlerts.severity(paused) == "warning")
        #expect(AlertmanagerAlerts.severity(halted) == "critical")
    }
}
