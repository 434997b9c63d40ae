import BellwetherCore
import BellwetherHTTPClient
import BellwetherServer
import BellwetherStore
import Foundation
import Logging
import ServiceLifecycle

/// `bellwether serve` inside the demo's process: the same application (`buildApplication` with
/// `ServerComponents.controller`) on a free loopback port, on the demo's clock, in a service group
/// the demo shuts down gracefully when it is done (as SIGTERM or Ctrl-C would).
struct EmbeddedController: Sendable {
    let url: URL
    /// Set on a `ManualClock`: moves it and runs one control-loop pass at the new instant.
    let clockControl: ClockControl?
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// - Parameters:
    ///   - heartbeatSeconds: how often agents check in, in controller time.
    ///   - silentAfter: controller seconds without a heartbeat before an agent counts as silent.
    ///   - http: the client the controller sends through; the caller shuts it down after `stop()`.
    ///   - rolloutID: names new rollouts, and so draws their cohorts; nil for the server's random names.
    static func start(
        databasePath: String, clock: any ControllerClock, heartbeatSeconds: Int, silentAfter: Double, http: OutboundHTTP,
        rolloutID: (@Sendable (Policy) -> String)? = nil
    ) async throws -> EmbeddedController {
        var configuration = ServerConfiguration()
        configuration.databasePath = databasePath
        configuration.listen = ListenAddress(host: "127.0.0.1", port: 0)
        configuration.heartbeatSeconds = heartbeatSeconds
        configuration.silentAfterSeconds = silentAfter
        let store: BellwetherStore
        do {
            store = try BellwetherStore.open(path: databasePath)
        } catch {
            throw CommandFailure.failed("cannot open the database \(databasePath): \(error)")
        }
        var logger = Logger(label: "bellwether.demo")
        logger.logLevel = .warning
        let (addresses, announce) = AsyncStream.makeStream(of: ListenAddress.self)
        var components = ServerComponents.controller(configuration: configuration, store: store, clock: clock, http: http, logger: logger)
        if let rolloutID { components.newRolloutID = rolloutID }
        let application = try buildApplication(configuration: configuration, components: components, logger: logger) { address in
            announce.yield(address)
        }
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let task = Task {
            defer { announce.finish() }
            try await group.run()
        }
        var iterator = addresses.makeAsyncIterator()
        guard let address = await iterator.next() else {
            let reason: String
            switch await task.result {
            case .failure(let error): reason = "\(error)"
            case .success: reason = "it stopped"
            }
            throw CommandFailure.failed("the embedded controller did not start: \(reason)")
        }
        return EmbeddedController(url: URL(string: "http://\(address)")!, clockControl: components.clock, group: group, task: task)
    }

    /// Returns when the controller has stopped (Ctrl-C, SIGTERM).
    func waitUntilStopped() async {
        _ = await task.result
    }

    /// Shuts down as `serve` does on SIGTERM: requests under way finish, the last heartbeats are written.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
