import BellwetherCore
import BellwetherStore
import Foundation
import Testing

/// The fleet freeze is one row: set, kept across a restart, and lifted.
@Suite struct FreezeStoreTests {
    @Test func aFreezeIsKeptAcrossARestartUntilLifted() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("freeze-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let set = FleetFreeze(reason: "quarter-end close", actor: "alice", since: Date(timeIntervalSince1970: 1_800_000_000))
        do {
            let store = try BellwetherStore.open(path: path)
            #expect(try store.freeze() == nil)
            #expect(try store.setFreeze(set) == set)
        }
        let reopened = try BellwetherStore.open(path: path)
        #expect(try reopened.freeze() == set, "a controller that restarts keeps holding promotions")
        #expect(try reopened.setFreeze(nil) == nil)
        #expect(try reopened.freeze() == nil)
    }

    /// Freezing again keeps when and by whom the hold began, so a repeated command cannot make a
    /// held promotion's record look newer than the hold; the reason is the latest one.
    @Test func freezingAFrozenFleetKeepsItsStartAndTakesTheNewReason() throws {
        let store = try BellwetherStore.inMemory()
        try store.setFreeze(FleetFreeze(reason: "incident 4711", actor: "alice", since: Date(timeIntervalSince1970: 100)))
        let again = try store.setFreeze(FleetFreeze(reason: "incident 4711: still mitigating", actor: "bob", since: Date(timeIntervalSince1970: 900)))
        #expect(again == FleetFreeze(reason: "incident 4711: still mitigating", actor: "alice", since: Date(timeIntervalSince1970: 100)))
    }
}
