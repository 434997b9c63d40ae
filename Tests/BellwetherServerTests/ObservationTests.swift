import BellwetherServer
import Foundation
import HummingbirdTesting
import Testing

/// `POST /api/v1/observations`: the replay format as JSON Lines, stored all or nothing.
@Suite struct ObservationTests {
    static let batch = """
        {"time": 1764000010, "agent": "a1", "version": "2.4.0", "counters": {"records": 10}}

        {"agent": "a2", "cohort": "whatever", "spans": {"process_data_record": {"total": 5, "failed": 1}}}
        """

    @Test func anOperatorsBatchIsStoredWithItsTimesTheServerClockWhereTimeIsMissingAndCohortIgnored() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let response = try await client.post("/api/v1/observations", .admin, body: Self.batch)
            #expect(response.status == .accepted)
            #expect(response.text == #"{"accepted":2}"#)
        }
        let stored = try server.store.observations(from: 0, through: .infinity)
        let now = ServerHarness.t0.timeIntervalSince1970
        #expect(stored.map(\.agent) == ["a2", "a1"], "in time order: a2 was stamped now, a1 ten seconds later")
        #expect(stored.map(\.time) == [now, 1_764_000_010])
        #expect(stored.first?.spans["process_data_record"]?.failed == 1)
        #expect(stored.last?.version == "2.4.0")
    }

    /// An agent cannot place data in a past or future analysis window: what it sends is now.
    @Test func anAgentsBatchIsStampedWithTheServerClockWhateverTimesItCarries() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let response = try await client.post("/api/v1/observations", .agent, body: Self.batch)
            #expect(response.status == .accepted)
        }
        let stored = try server.store.observations(from: 0, through: .infinity)
        let now = ServerHarness.t0.timeIntervalSince1970
        #expect(Set(stored.map(\.agent)) == ["a1", "a2"])
        #expect(stored.map(\.time) == [now, now])
    }

    @Test func aMalformedLineRejectsTheWholeBatchAndNamesTheLine() async throws {
        let server = try await ServerHarness()
        let body = """
            {"agent": "a1", "counters": {"records": 10}}
            {"agent": "a2", "counters": {"records": -1}}
            """
        try await server.test { client in
            let response = try await client.post("/api/v1/observations", .agent, body: body)
            #expect(response.status == .badRequest)
            #expect(response.error?.code == "malformed-observation")
            #expect(response.error?.message.contains("line 2") == true, "\(response.text)")
        }
        #expect(try server.store.observations(from: 0, through: .infinity).isEmpty)
    }

    /// The body that once took `serve` down with a stack overflow: one line nesting 200,000
    /// arrays under an unknown key. It is refused like any malformed line, and the next batch
    /// is stored.
    @Test func aLineNestedTwoHundredThousandDeepIsRefusedAndTheServerGoesOn() async throws {
        let server = try await ServerHarness()
        let hostile = #"{"agent": "a1", "x": "# + String(repeating: "[", count: 200_000) + "\n"
        try await server.test { client in
            let refused = try await client.post("/api/v1/observations", .agent, body: hostile)
            #expect(refused.status == .badRequest)
            #expect(refused.error?.message.contains("line 1") == true, "\(refused.text)")
            #expect(refused.error?.message.contains("nest deeper than") == true, "\(refused.text)")
            let accepted = try await client.post("/api/v1/observations", .agent, body: #"{"agent": "a1", "counters": {"records": 10}}"#)
            #expect(accepted.status.code / 100 == 2, "\(accepted.text)")
        }
        #expect(try server.store.observations(from: 0, through: .infinity).count == 1)
    }
}
