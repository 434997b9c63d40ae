import BellwetherStore
import BellwetherTestSupport
import Foundation
import Testing

/// `bellwether backup FILE`: a copy of a running controller's database, as an operator takes it.
@Suite struct BackupCommandTests {
    static let adminToken = "backup-admin-7c2e9f4a1d6b3085"

    @Test func aRunningControllersDatabaseIsCopiedSoundAndNeverOverAFile() async throws {
        // Given a running controller that has taken an agent's heartbeat
        let bellwether = try ProductProcess()
        let server = try RunningServer(bellwether, token: Self.adminToken)
        defer { server.stop() }
        let (status, _) = try await server.request("POST", "/api/v1/agents/heartbeat", body: Data(#"{"id": "a1", "version": "2.3.1"}"#.utf8))
        #expect(status == 200)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: copy) }

        // When it is backed up while it runs
        var result = try bellwether.run(["backup", copy, "--db", server.database])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("integrity ok"), "\(result.stdout)")

        // Then the copy opens as a sound store, and a second backup to the same file is refused
        let restored = try BellwetherStore.open(path: copy)
        #expect(try restored.integrityCheck() == ["ok"])
        result = try bellwether.run(["backup", copy, "--db", server.database])
        #expect(result.status == 2)
        #expect(result.stderr.contains("never overwrites"), "\(result.stderr)")
        result = try bellwether.run(["backup", copy + ".new", "--db", "/nonexistent/bellwether.db"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no database there"), "\(result.stderr)")
    }
}
