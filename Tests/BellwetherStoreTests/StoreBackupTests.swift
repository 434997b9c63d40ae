import BellwetherCore
import BellwetherStore
import Foundation
import Testing

@Suite struct StoreBackupTests {
    static func directory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bellwether-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func aBackupTakenWhileTheControllerWritesHoldsEveryCommitBeforeItAndOpensAsAStore() async throws {
        // Given a database with rollouts and events, and a writer that keeps committing heartbeats
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bellwether.db").path
        let backup = directory.appendingPathComponent("copy.db").path
        let store = try BellwetherStore.open(path: path)
        try store.startRollout(Fixtures.rollout("r1"), policySource: Fixtures.policySource, actor: "alice")
        try store.recordTransition(rolloutID: "r1", Fixtures.start, actor: "controller", at: Fixtures.at(10))
        let committed = (try store.rollouts(limit: 10), try store.events(rolloutID: "r1"))
        let writer = Task {
            var beats = 0
            while !Task.isCancelled {
                beats += 1
                try store.recordHeartbeats([AgentHeartbeat(id: "a\(beats % 50)", version: "2.3.1", labels: [:])], at: Fixtures.at(Double(20 + beats)))
            }
            return beats
        }

        // When it is backed up while the writer runs
        let summary = try BellwetherStore.backup(databaseAt: path, to: backup)
        writer.cancel()
        _ = try await writer.value

        // Then the copy is sound, holds everything committed before it, and a store opens it
        #expect(summary.rollouts == 1)
        #expect(summary.bytes > 0)
        #expect(summary.lastMigration?.hasPrefix("v") == true)
        let restored = try BellwetherStore.open(path: backup)
        #expect(try restored.integrityCheck() == ["ok"])
        #expect(try restored.rollouts(limit: 10) == committed.0)
        #expect(try restored.events(rolloutID: "r1") == committed.1)
    }

    @Test func aBackupNeverOverwritesAFileAndNamesAMissingSource() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bellwether.db").path
        let existing = directory.appendingPathComponent("existing.db").path
        _ = try BellwetherStore.open(path: path)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))

        #expect(throws: BackupError.destinationExists(existing)) { try BellwetherStore.backup(databaseAt: path, to: existing) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: existing)) == Data("keep me".utf8))
        let missing = directory.appendingPathComponent("missing.db").path
        #expect(throws: BackupError.sourceMissing(missing)) { try BellwetherStore.backup(databaseAt: missing, to: directory.appendingPathComponent("new.db").path) }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("new.db").path))
    }
}
