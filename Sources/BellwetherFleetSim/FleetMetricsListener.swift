import Hummingbird
import Logging
import Synchronization

/// The simulated fleet's metrics on one HTTP listener, as Prometheus scrapes them behind an
/// OpenTelemetry Collector. A thin adapter: `FleetSimulator.exposition` and `PrometheusTargets`
/// hold everything it serves.
///
/// - `GET /metrics`: every running agent, as a Collector's `prometheus` exporter serves its agents.
/// - `GET /agents/{id}/metrics`: one agent, as its own target; 503 while its process is down (a
///   crashed agent cannot be scraped: its target goes down and its series go stale), 404 for an
///   unknown agent.
/// - `GET /targets`: the fleet for `http_sd_configs` (the same JSON `--prometheus-targets` writes
///   for `file_sd_configs`).
public enum FleetMetricsListener {
    /// - Parameter onListening: called with the bound `HOST:PORT` (port 0 binds a free one).
    public static func application(
        fleet: FleetSimulator, host: String, port: Int, logger: Logger = Logger(label: "bellwether.sim"),
        onListening: @escaping @Sendable (String) async -> Void
    ) -> some ApplicationProtocol {
        let bound = Mutex<String?>(nil)
        let router = Router()
        router.get("metrics") { _, _ in
            exposition(fleet.exposition())
        }
        router.get("agents/:id/metrics") { _, context in
            let id = try context.parameters.require("id")
            guard fleet.hasAgent(id) else {
                return Response(status: .notFound, body: ResponseBody(byteBuffer: ByteBuffer(string: "no simulated agent \(id)\n")))
            }
            return exposition(fleet.exposition(of: id))
        }
        router.get("targets") { _, _ in
            let address = bound.withLock { $0 } ?? "\(host):\(port)"
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: fleet.scrapeTargets(address: address).json()))
            )
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "bellwether-sim"),
            onServerRunning: { channel in
                let address = "\(host):\(channel.localAddress?.port ?? port)"
                bound.withLock { $0 = address }
                await onListening(address)
            },
            logger: logger
        )
    }

    private static func exposition(_ exposition: PrometheusExposition?) -> Response {
        guard let exposition else {
            return Response(status: .serviceUnavailable, body: ResponseBody(byteBuffer: ByteBuffer(string: "the agent's process is down\n")))
        }
        return Response(
            status: .ok, headers: [.contentType: PrometheusExposition.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: exposition.text))
        )
    }
}
