import ServiceLifecycle

/// Loads the fleet from the database once the application runs, which is what makes `/readyz`
/// turn ready, then stays until shutdown (a service that returned would stop the whole group).
struct FleetLoader: Service {
    let fleet: FleetRegistry

    func run() async throws {
        try await fleet.load()
        try await gracefulShutdown()
    }
}
