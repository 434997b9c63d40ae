import BellwetherCore
import Foundation

/// Every agent instance the OpAMP server is talking to, by instance uid: the whole server-side
/// protocol state as a value, so the route only decodes, consults the fleet and encodes.
///
/// Handling one message is two calls, with the fleet registry in between: `receive` takes the
/// message in and says what it tells the fleet; `answer` builds the reply from the agent's
/// assignment as the registry holds it.
public struct OpAMPSessionTable: Sendable {
    public var settings: OpAMPSettings
    private var sessions: [Data: OpAMPSession] = [:]
    /// When each session was last heard from (seconds since 1970), for idle eviction.
    private var lastHeard: [Data: Double] = [:]
    private var nextSweep = -Double.infinity

    public init(settings: OpAMPSettings = OpAMPSettings()) {
        self.settings = settings
    }

    public var count: Int { sessions.count }

    public func session(_ instanceUID: Data) -> OpAMPSession? {
        sessions[instanceUID]
    }

    /// Takes in one message. An `agent_disconnect` ends the instance's session (the specification
    /// asks the server to forget the association) and is not a heartbeat: the agent counts as
    /// silent once its last real report ages, unless a new instance of it (a restart) reports.
    ///
    /// A described instance whose agent id `scope` does not admit is refused before anything of
    /// it is kept (`OpAMPReception.outOfScope`): a scoped token cannot fill the table with agents
    /// it does not run, nor change what an admitted instance of another team said about itself.
    public mutating func receive(_ message: OpAMPAgentToServer, at time: Double, scope: AgentScope = .any) -> OpAMPReception {
        evictIdle(at: time)
        let uid = message.instanceUid
        if message.hasAgentDisconnect {
            sessions[uid] = nil
            lastHeard[uid] = nil
            return OpAMPReception(instanceUID: uid, reportFullState: false, disconnected: true, heartbeat: nil)
        }
        if sessions[uid] == nil, sessions.count >= settings.maxSessions {
            nextSweep = -Double.infinity
            evictIdle(at: time)
            guard sessions.count < settings.maxSessions else {
                return OpAMPReception(instanceUID: uid, reportFullState: false, disconnected: false, heartbeat: nil, refused: true)
            }
        }
        var session = sessions[uid] ?? OpAMPSession(instanceUID: uid)
        let reportFullState = session.receive(message)
        if session.isDescribed, !scope.admits(session.agentID) {
            return OpAMPReception(instanceUID: uid, reportFullState: false, disconnected: false, heartbeat: nil, outOfScope: session.agentID)
        }
        sessions[uid] = session
        lastHeard[uid] = time
        return OpAMPReception(instanceUID: uid, reportFullState: reportFullState, disconnected: false, heartbeat: session.heartbeat(settings))
    }

    /// Forgets sessions idle for longer than `settings.sessionIdleSeconds`, at most once per
    /// tenth of that period, so the cost stays a sweep now and then rather than one per message.
    private mutating func evictIdle(at time: Double) {
        guard time >= nextSweep else { return }
        nextSweep = time + settings.sessionIdleSeconds / 10
        let cutoff = time - settings.sessionIdleSeconds
        for (uid, heard) in lastHeard where heard < cutoff {
            sessions[uid] = nil
            lastHeard[uid] = nil
        }
    }

    /// The reply to the message `reception` came from, offering `assignment` (what the fleet
    /// registry says the agent should run).
    public mutating func answer(_ reception: OpAMPReception, assignment: AgentAssignment?) -> OpAMPServerToAgent {
        guard !reception.disconnected, var session = sessions[reception.instanceUID] else {
            var reply = OpAMPServerToAgent()
            reply.instanceUid = reception.instanceUID
            reply.capabilities = ServerCapabilities.bellwether.rawValue
            return reply
        }
        let reply = session.answer(reportFullState: reception.reportFullState, assignment: assignment, settings: settings)
        sessions[reception.instanceUID] = session
        return reply
    }
}

/// What one AgentToServer told the server: whether to ask for the full state, whether the
/// instance said goodbye, and the heartbeat it amounts to for the fleet (nil when it has not yet
/// said which version it runs, or disconnected).
public struct OpAMPReception: Sendable, Hashable {
    public var instanceUID: Data
    public var reportFullState: Bool
    public var disconnected: Bool
    public var heartbeat: AgentHeartbeat?
    /// The table holds `maxSessions` and none is idle: the instance is not taken in.
    public var refused = false
    /// The agent id the instance speaks for, when the caller's scope does not admit it: nothing
    /// of the message was kept.
    public var outOfScope: String?
}
