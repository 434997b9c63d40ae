/// How the OpAMP server presents versions to agents.
public struct OpAMPSettings: Sendable, Hashable {
    /// The largest AgentToServer the server reads, once decompressed (effective configs are the
    /// big part; a collector's is rarely over a few hundred kilobytes).
    public var bodyLimit = 4 << 20
    /// The name of the remote config file that carries the desired version, as a JSON body.
    public var configFileName = "bellwether"
    /// The package name a version is offered under when the agent describes no `service.name`.
    public var defaultPackageName = "agent"
    /// A session not heard from for this long is forgotten (an agent that crashed never says
    /// goodbye); heard from again, it is asked for its full state like any stranger.
    public var sessionIdleSeconds: Double = 3_600
    /// Sessions held at once. A new instance past it first sweeps out idle sessions; if none
    /// is idle it is refused (Unavailable, retry later) and the sessions held go on.
    public var maxSessions = 200_000

    public init() {}
}
