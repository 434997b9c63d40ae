import BellwetherCore
import BellwetherTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
@testable import BellwetherFleetSim

/// The simulator's Prometheus listener over real HTTP: the whole fleet, one agent, an unknown
/// agent, a dead agent, and the service-discovery document naming the bound address.
@Suite struct FleetMetricsListenerTests {
    @Test func servesEachAgentItsTargetsAndNothingForTheDead() async throws {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        let fleet = FleetSimulator(
            configuration: .init(
                agents: 3, seed: 4, settings: SimulationSettings(behaviours: ["2.3.1": .crashLoop(uptime: 100, downtime: 1_000)]), exportsOTLP: false
            ),
            transport: FleetTransport(server: URL(string: "http://127.0.0.1:9")!, token: nil, http: TestHTTP.client), clock: clock
        )
        let bound = AddressBox()
        let application = FleetMetricsListener.application(fleet: fleet, host: "127.0.0.1", port: 0) { bound.set($0) }
        try await application.test(.live) { client in
            clock.advance(by: 10)
            try await client.execute(uri: "/agents/collector-0002/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == PrometheusExposition.contentType)
                let text = String(buffer: response.body)
                #expect(text.contains(#"service_instance_id="collector-0002""#) && !text.contains(#"service_instance_id="collector-0001""#))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let records = String(buffer: response.body).split(separator: "\n").filter { $0.hasPrefix("agent_data_records_processed_total{") }
                #expect(records.count == 3, "every running agent on the one endpoint")
            }
            try await client.execute(uri: "/agents/collector-0009/metrics", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/targets", method: .get) { response in
                let groups = try JSONDecoder().decode([PrometheusTargets.Group].self, from: Data(buffer: response.body))
                let address = try #require(bound.value)
                #expect(!address.hasSuffix(":0") && groups.count == 3 && groups.allSatisfy { $0.targets == [address] })
                #expect(groups.map { $0.labels["__metrics_path__"] } == ["/agents/collector-0001/metrics", "/agents/collector-0002/metrics", "/agents/collector-0003/metrics"])
            }
            // Past every agent's crash (uptime 50–150 s) and well before its restart.
            clock.advance(by: 400)
            try await client.execute(uri: "/agents/collector-0002/metrics", method: .get) { response in
                #expect(response.status == .serviceUnavailable, "a dead process cannot be scraped")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(!String(buffer: response.body).contains("agent_data_records_processed_total{"))
            }
        }
    }
}

/// The address the listener announces, read by the test once it has been set.
final class AddressBox: Sendable {
    private let stored = Mutex<String?>(nil)
    func set(_ address: String) { stored.withLock { $0 = address } }
    var value: String? { stored.withLock { $0 } }
}
