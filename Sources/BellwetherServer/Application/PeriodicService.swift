import ServiceLifecycle

/// Runs `action` every `interval` of `clock` until graceful shutdown, and once more then: the
/// heartbeat flusher's last run is what writes the final batch before the database closes.
/// The clock is injected so tests can drive time instead of waiting for it.
struct PeriodicService<C: Clock>: Service where C.Duration == Duration {
    let interval: Duration
    let clock: C
    let action: @Sendable () async -> Void

    func run() async throws {
        while true {
            try? await cancelWhenGracefulShutdown {
                try await clock.sleep(for: interval)
            }
            await action()
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
        }
    }
}
