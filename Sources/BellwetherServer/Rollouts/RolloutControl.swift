/// The control loop as the API sees it. The API records operators' decisions in the store
/// itself; `wake()` then tells the loop to act on them now (assign the new cohort, stop
/// analysing an aborted rollout) instead of at its next tick.
public protocol RolloutControl: Sendable {
    func wake() async
}

/// For a server without a control loop (and for tests of the API alone): nobody to wake.
public struct NoRolloutControl: RolloutControl {
    public init() {}
    public func wake() async {}
}
