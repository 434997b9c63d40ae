import Synchronization

/// Lets `RolloutController.wake()` cut the service's wait short: an operator's pause or promote
/// takes effect on the next pass at once instead of up to a tick later. A ring while nobody waits
/// is remembered (once), so a ring between two waits is never lost.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var nextID: UInt64 = 0
        var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
        /// Waits cancelled before they had registered.
        var cancelled: Set<UInt64> = []
    }

    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns at the next ring (at once if one is pending) or when the task is cancelled.
    /// One waiter at a time.
    func waitForRing() async {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.cancelled.remove(id) != nil { return true }
                    if state.rung {
                        state.rung = false
                        return true
                    }
                    precondition(state.waiter == nil, "a doorbell has one waiter at a time")
                    state.waiter = (id, continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let waiter = state.waiter, waiter.id == id else {
                    state.cancelled.insert(id)
                    return nil
                }
                state.waiter = nil
                return waiter.continuation
            }
            waiter?.resume()
        }
    }
}
