import BellwetherAPI
import BellwetherCore
import BellwetherServer
import BellwetherStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization

/// A server on an in-memory store with a clock the test moves, and the requests tests make.
struct ServerHarness: Sendable {
    static let adminToken = "harness-admin-4f9c2e7a1b63d805"
    static let agentToken = "harness-agent-8d1e6b3f0a5c7294"
    static let t0 = Date(timeIntervalSince1970: 1_764_000_000)

    let configuration: ServerConfiguration
    let components: ServerComponents
    let clock: TestClock

    var store: BellwetherStore { components.store }
    var fleet: FleetRegistry { components.fleet }

    /// With `loaded` false the fleet is not read yet, as in the first moments after startup.
    init(tokens: Bool = true, loaded: Bool = true, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        var configuration = ServerConfiguration()
        configuration.listen = ListenAddress(host: "127.0.0.1", port: 0)
        if tokens {
            configuration.adminToken = Self.adminToken
            configuration.agentToken = Self.agentToken
        }
        configure(&configuration)
        let clock = TestClock(Self.t0)
        var components = ServerComponents(configuration: configuration, store: try .inMemory())
        components.now = { clock.now }
        let started = Mutex(0)
        components.newRolloutID = { policy in
            started.withLock { count in
                count += 1
                return "\(policy.name)-\(count)"
            }
        }
        if loaded { try await components.fleet.load() }
        self.configuration = configuration
        self.components = components
        self.clock = clock
    }

    func application() throws -> some ApplicationProtocol {
        try buildApplication(configuration: configuration, components: components)
    }

    /// Runs `body` against the router alone, without a network and without the application's
    /// services, so nothing loads the fleet or flushes heartbeats behind the test's back.
    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await Application(router: buildRouter(configuration: configuration, components: components)).test(.router, body)
    }
}

/// Wall-clock time that only moves when a test says so.
final class TestClock: Sendable {
    private let date: Mutex<Date>

    init(_ start: Date) {
        date = Mutex(start)
    }

    var now: Date { date.withLock { $0 } }

    func advance(seconds: Double) {
        date.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

enum Token {
    case admin, agent, none, wrong

    var headers: HTTPFields {
        var headers = HTTPFields()
        switch self {
        case .admin: headers[.authorization] = "Bearer \(ServerHarness.adminToken)"
        case .agent: headers[.authorization] = "Bearer \(ServerHarness.agentToken)"
        case .wrong: headers[.authorization] = "Bearer not-the-token"
        case .none: break
        }
        return headers
    }
}

extension TestClientProtocol {
    func get(_ path: String, _ token: Token = .admin) async throws -> TestResponse {
        try await execute(uri: path, method: .get, headers: token.headers, body: nil)
    }

    func post(_ path: String, _ token: Token = .admin, json: some Encodable) async throws -> TestResponse {
        try await post(path, token, body: String(decoding: try APICoding.encoder().encode(json), as: UTF8.self))
    }

    func post(_ path: String, _ token: Token = .admin, body: String = "") async throws -> TestResponse {
        try await execute(uri: path, method: .post, headers: token.headers, body: ByteBuffer(string: body))
    }

    func heartbeat(_ id: String, version: String = "2.3.1", labels: [String: String] = ["role": "collector"]) async throws -> HeartbeatReply {
        let response = try await post("/api/v1/agents/heartbeat", .agent, json: HeartbeatRequest(id: id, version: version, labels: labels))
        return try response.decode(HeartbeatReply.self)
    }

    func startRollout(policy: String = Policies.canary, version: String = "2.4.0") async throws -> TestResponse {
        try await post("/api/v1/rollouts", json: StartRolloutRequest(policy: policy, version: version))
    }
}

extension TestResponse {
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try APICoding.decoder().decode(type, from: Data(body.readableBytesView))
    }

    var error: APIErrorBody.Detail? {
        try? decode(APIErrorBody.self).error
    }

    var text: String { String(buffer: body) }
}

enum Policies {
    static let canary = """
        name: enrichment-canary
        selector: {labels: {role: collector}}
        steps:
          - {cohort: canary, percent: 10, bake: 15m}
          - {cohort: half, percent: 50, bake: 30m}
          - {cohort: all, percent: 100}
        analysis:
          checks:
            - name: enrichment-failure-ratio
              ratio: {numerator: agent.data.enrichment_failures_total, denominator: agent.data.records_processed_total}
              onFail: rollback
        """

    static func selecting(role: String, name: String = "other") -> String {
        canary.replacingOccurrences(of: "enrichment-canary", with: name).replacingOccurrences(of: "role: collector", with: "role: \(role)")
    }
}
