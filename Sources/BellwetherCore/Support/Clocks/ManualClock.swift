import Foundation
import Synchronization

/// A clock that moves only when told to: tests advance it and every sleeper whose deadline has
/// passed wakes up, in the order it went to sleep, so hours of bake time take no real time and no
/// test ever sleeps.
///
/// A sleeper whose task is cancelled is woken at once with `CancellationError` and forgotten, so
/// a cancelled service never leaves a continuation behind (or resumes one twice).
public final class ManualClock: ControllerClock {
    private struct Sleeper {
        var id: UInt64
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var nextID: UInt64 = 0
        /// In the order they went to sleep.
        var sleepers: [Sleeper] = []
        /// Sleepers cancelled before they had registered.
        var cancelled: Set<UInt64> = []
        /// Tasks waiting for this many sleepers, by id.
        var idleWaiters: [UInt64: (count: Int, continuation: CheckedContinuation<Void, any Error>)] = [:]
        var cancelledWaiters: Set<UInt64> = []

        /// Takes the idle waiters the current number of sleepers satisfies.
        mutating func satisfiedWaiters() -> [CheckedContinuation<Void, any Error>] {
            let ready = idleWaiters.filter { $0.value.count <= sleepers.count }
            for id in ready.keys { idleWaiters[id] = nil }
            return ready.values.map(\.continuation)
        }
    }

    private let state: Mutex<State>

    public init(now: Date) {
        state = Mutex(State(now: now))
    }

    public var now: Date {
        state.withLock { $0.now }
    }

    /// Tasks currently waiting on this clock: lets a test see that a service has gone to sleep.
    public var sleeperCount: Int {
        state.withLock { $0.sleepers.count }
    }

    public func advance(by seconds: TimeInterval) {
        precondition(seconds >= 0, "a manual clock only moves forward")
        let target = state.withLock { $0.now.addingTimeInterval(seconds) }
        advance(to: target)
    }

    /// Moves time to `instant` (never backwards) and wakes every sleeper whose deadline it reached.
    public func advance(to instant: Date) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = max(state.now, instant)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due {
            sleeper.continuation.resume()
        }
    }

    /// Returns once at least `count` tasks sleep on this clock: after an advance, that is how a
    /// test knows every task it woke has done what it does at the new instant and gone back to
    /// sleep. Throws `CancellationError` when the waiting task is cancelled.
    public func waitForSleepers(_ count: Int) async throws {
        let id = takeID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    if state.cancelledWaiters.remove(id) != nil { return .failure(CancellationError()) }
                    if state.sleepers.count >= count { return .success(()) }
                    state.idleWaiters[id] = (count, continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let waiter = state.idleWaiters.removeValue(forKey: id) else {
                    state.cancelledWaiters.insert(id)
                    return nil
                }
                return waiter.continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private func takeID() -> UInt64 {
        state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
    }

    public func sleep(until deadline: Date) async throws {
        let id = takeID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (outcome, idle) = state.withLock { state -> (Result<Void, any Error>?, [CheckedContinuation<Void, any Error>]) in
                    if state.cancelled.remove(id) != nil { return (.failure(CancellationError()), []) }
                    if deadline <= state.now { return (.success(()), []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (nil, state.satisfiedWaiters())
                }
                if let outcome { continuation.resume(with: outcome) }
                for waiter in idle { waiter.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
