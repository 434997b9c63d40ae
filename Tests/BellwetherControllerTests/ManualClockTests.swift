import BellwetherCore
import Foundation
import Synchronization
import Testing

/// The test clock: time moves only when told, and sleepers wake in order, or on cancellation.
@Suite struct ManualClockTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func aDeadlineAlreadyReachedDoesNotWait() async throws {
        let clock = ManualClock(now: t0)
        try await clock.sleep(until: t0)
        try await clock.sleep(until: t0.addingTimeInterval(-5))
        #expect(clock.now == t0)
    }

    @Test func advancingWakesTheSleepersWhoseDeadlinePassedInTheOrderTheySlept() async throws {
        // Given three sleepers, registered in order
        let clock = ManualClock(now: t0)
        let (woken, wakes) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, delay) in [(1, 10.0), (2, 10.0), (3, 20.0)] {
                group.addTask {
                    try await clock.sleep(until: self.t0.addingTimeInterval(delay))
                    wakes.yield(index)
                }
                try await clock.waitForSleepers(index)
            }
            var iterator = woken.makeAsyncIterator()

            // When the clock reaches the first two deadlines
            clock.advance(by: 10)
            // Then those two wake, in order, and the third still sleeps
            #expect(await iterator.next() == 1)
            #expect(await iterator.next() == 2)
            #expect(clock.sleeperCount == 1)

            // When it reaches the third
            clock.advance(to: t0.addingTimeInterval(25))
            #expect(await iterator.next() == 3)
            try await group.waitForAll()
        }
        #expect(clock.now == t0.addingTimeInterval(25))
    }

    @Test func aCancelledSleeperWakesAtOnceWithCancellationAndIsForgotten() async throws {
        let clock = ManualClock(now: t0)
        let sleeper = Task { try await clock.sleep(until: self.t0.addingTimeInterval(60)) }
        try await clock.waitForSleepers(1)

        sleeper.cancel()

        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func aTaskCancelledBeforeItSleepsDoesNotSleep() async throws {
        let clock = ManualClock(now: t0)
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(until: self.t0.addingTimeInterval(60))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func waitingForSleepersReturnsOnceThatManyTasksSleep() async throws {
        // Given a waiter for two sleepers, and one sleeper
        let clock = ManualClock(now: t0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await clock.sleep(until: self.t0.addingTimeInterval(10)) }
            try await clock.waitForSleepers(1)
            let waiter = Task { try await clock.waitForSleepers(2) }

            // When a second task goes to sleep
            group.addTask { try await clock.sleep(until: self.t0.addingTimeInterval(10)) }

            // Then the waiter returns, and no sleeper has been woken
            try await waiter.value
            #expect(clock.sleeperCount == 2)
            clock.advance(by: 10)
            try await group.waitForAll()
        }
        // And a wait already satisfied returns at once
        try await clock.waitForSleepers(0)
    }

    @Test func aCancelledWaitForSleepersThrowsCancellation() async throws {
        let clock = ManualClock(now: t0)
        let waiter = Task { try await clock.waitForSleepers(1) }

        waiter.cancel()

        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func aScaledClockRunsSpeedTimesFasterFromItsOrigin() async throws {
        // Given a clock at 1000× made between two readings of real time
        let real = ContinuousClock()
        let beforeMaking = real.now
        let clock = ScaledClock(speed: 1000, origin: t0)
        let afterMaking = real.now

        // When it sleeps 20 controller seconds
        try await clock.sleep(until: t0.addingTimeInterval(20))
        let beforeReading = real.now
        let now = clock.now
        let afterReading = real.now

        // Then it woke no earlier, and it reads 1000× the real time elapsed since it was made
        #expect(now >= t0.addingTimeInterval(20))
        #expect(now.timeIntervalSince(t0) <= 1000 * seconds(beforeMaking.duration(to: afterReading)))
        #expect(now.timeIntervalSince(t0) >= 1000 * seconds(afterMaking.duration(to: beforeReading)))
    }

    @Test func theSystemClockKeepsRealSecondsWhenTheWallClockIsStepped() async throws {
        // Given the system clock made at t0 on a wall clock that an NTP step then moves an hour ahead
        let wall = Mutex(t0)
        let clock = SystemControllerClock(wallClock: { wall.withLock { $0 } })
        wall.withLock { $0 = t0.addingTimeInterval(3_600) }

        // Then its time has moved only by the real seconds elapsed, and it says how far the wall clock went
        let elapsed = clock.now.timeIntervalSince(t0)
        #expect(elapsed >= 0 && elapsed < 60, "a 10-minute bake started at t0 has not ended")
        #expect(abs(clock.wallClockOffset - (3_600 - elapsed)) < 1)

        // And a step backwards does not hold it back either
        wall.withLock { $0 = t0.addingTimeInterval(-86_400) }
        #expect(clock.now.timeIntervalSince(t0) >= elapsed)
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
