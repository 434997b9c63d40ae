import BellwetherAPI
import BellwetherCore
import BellwetherTestSupport
import Foundation

/// A real `bellwether serve` on a manual clock with a rollout played out by a simulated fleet
/// until its canary, failing enrichment 2.5 times as often as the baseline, halts it at step 1:
/// the moment an on-call engineer opens the dashboard or `rollout watch`. Deterministic: seeded
/// fleet, fixed epoch, fixed rollout id prefix, time moved only by the test.
struct HaltedRollout {
    static let adminToken = "dashboard-admin-token"
    static let agentToken = "dashboard-agent-token"
    static let epoch = 1_800_000_000.0
    static let check = RolloutEndToEndTests.check
    /// The end-to-end tests' policy (10%, 50%, 100%; two-minute bakes), halting on a failed check.
    static let policyYAML = RolloutEndToEndTests.policyYAML.replacingOccurrences(of: "onFail: rollback", with: "onFail: halt")

    let server: RunningServer
    var fleet: SimulatedFleet
    let id: String

    /// Starts the server and the rollout; `until` says when to stop ticking (default: halted).
    init(_ bellwether: ProductProcess, fleetSize: Int = 80, until done: (ClockAdvance, String) -> Bool = { $0.rollouts[$1]?.hasPrefix("halted") == true }) async throws {
        server = try RunningServer(bellwether, token: Self.adminToken, agentToken: Self.agentToken, manualClock: Self.epoch)
        do {
            try await server.waitUntilReady()
            fleet = SimulatedFleet(
                size: fleetSize, version: "1.0.0", now: Self.epoch, failureRate: ["1.0.0": 0.01, "2.0.0": 0.025],
                agentToken: Self.agentToken, adminToken: Self.adminToken, seed: 7
            )
            try await fleet.tick(on: server)
            let body = try APICoding.encoder().encode(StartRolloutRequest(policy: Self.policyYAML, version: "2.0.0"))
            let (status, answer) = try await server.request("POST", "/api/v1/rollouts", token: Self.adminToken, body: body)
            guard status == 201 else { throw UnexpectedResponse(path: "rollouts", status: status, body: answer) }
            id = try APICoding.decoder().decode(RolloutView.self, from: answer).id
            var reached = false
            for _ in 0..<120 where !reached {
                reached = done(try await fleet.tick(on: server), id)
            }
            guard reached else { throw NotReached(id: id) }
        } catch {
            server.stop()
            throw error
        }
    }

    func get<Body: Decodable>(_ type: Body.Type, _ path: String) async throws -> Body {
        let (status, body) = try await server.request("GET", path, token: Self.adminToken)
        guard status == 200 else { throw UnexpectedResponse(path: path, status: status, body: body) }
        return try APICoding.decoder().decode(Body.self, from: body)
    }

    /// Runs a `bellwether` command against this server with the admin token.
    func cli(_ bellwether: ProductProcess, _ arguments: [String]) throws -> ProductProcess.Result {
        try bellwether.run(arguments, environment: ["BELLWETHER_SERVER": server.url, "BELLWETHER_ADMIN_TOKEN": Self.adminToken])
    }

    /// Promotes the halted rollout through its three steps by hand, as an operator who verified
    /// it would (`rollout promote`): it ends completed.
    func promoteToCompletion(_ bellwether: ProductProcess) throws {
        for _ in 0..<3 {
            let promoted = try cli(bellwether, ["rollout", "promote", id, "--reason", "verified by hand"])
            guard promoted.status == 0 else { throw PromoteFailed(stderr: promoted.stderr) }
        }
    }

    struct PromoteFailed: Error, CustomStringConvertible {
        var stderr: String
        var description: String { "rollout promote failed: \(stderr)" }
    }

    struct NotReached: Error, CustomStringConvertible {
        var id: String
        var description: String { "rollout \(id) did not reach the expected state in 120 ticks" }
    }
}
