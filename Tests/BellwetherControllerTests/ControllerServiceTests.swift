import BellwetherController
import BellwetherCore
import BellwetherStore
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The service runs a pass every tick of controller time, at once when woken, and stops on shutdown.
@Suite struct ControllerServiceTests {
    typealias F = ControllerFixtures

    @Test func theServicePassesOnItsClocksTicksAndWhenWokenAndStopsOnShutdown() async throws {
        let store = try BellwetherStore.inMemory()
        let clock = ManualClock(now: F.t0)
        let controller = RolloutController(store: store, metrics: EmbeddedMetricSource(store: store), clock: clock)
        var ticks = controller.completedTicks.makeAsyncIterator()
        let group = ServiceGroup(
            services: [ControllerService(controller: controller)],
            gracefulShutdownSignals: [],
            logger: Logger(label: "test")
        )

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }

            // When the service starts, it passes at once
            #expect(await ticks.next()?.time == F.t0)

            // When a tick of controller time passes, it passes again
            clock.advance(by: 1)
            #expect(await ticks.next()?.time == F.t0.addingTimeInterval(1))

            // When it is woken between ticks, it passes without waiting for the clock
            controller.wake()
            #expect(await ticks.next()?.time == F.t0.addingTimeInterval(1))

            // When the group shuts down gracefully, the service returns
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func aStartedRolloutIsPickedUpAtTheNextPass() async throws {
        let store = try BellwetherStore.inMemory()
        let clock = ManualClock(now: F.t0)
        var fleet = TestFleet()
        try fleet.live(at: F.t0, assignments: [:], store: store)
        let controller = RolloutController(store: store, metrics: EmbeddedMetricSource(store: store), clock: clock)
        var ticks = controller.completedTicks.makeAsyncIterator()

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await ControllerService(controller: controller).run() }
            #expect(await ticks.next()?.states.isEmpty == true)

            // When an operator starts a rollout and wakes the controller
            try store.startRollout(F.rollout(), policySource: "", actor: "alice")
            controller.wake()

            // Then the next pass starts it
            #expect(await ticks.next()?.states["r1"] == .progressing(step: 0))
            tasks.cancelAll()
        }
    }

    @Test func whatMustBeWrittenBeforeAPassIsWrittenBeforeEveryPass() async throws {
        let store = try BellwetherStore.inMemory()
        let clock = ManualClock(now: F.t0)
        let controller = RolloutController(store: store, metrics: EmbeddedMetricSource(store: store), clock: clock)
        var ticks = controller.completedTicks.makeAsyncIterator()
        let (prepared, record) = AsyncStream.makeStream(of: Date.self)
        var preparedAt = prepared.makeAsyncIterator()

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try await ControllerService(controller: controller) { record.yield(clock.now) }.run()
            }
            // When the service passes at the start and after a tick of controller time
            #expect(await ticks.next()?.time == F.t0)
            clock.advance(by: 1)
            #expect(await ticks.next()?.time == F.t0.addingTimeInterval(1))

            // Then the hook ran before each of the two passes, at the pass's instant
            #expect(await preparedAt.next() == F.t0)
            #expect(await preparedAt.next() == F.t0.addingTimeInterval(1))
            tasks.cancelAll()
        }
    }
}
