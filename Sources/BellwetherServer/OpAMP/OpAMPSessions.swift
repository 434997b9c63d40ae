import BellwetherCore
import BellwetherOpAMP
import Foundation

/// The OpAMP server's protocol state, shared by every request: an actor around the session
/// table, which holds the rules. Each call is quick and does no I/O, so answers stay well inside
/// the one second an OpAMP client waits.
public actor OpAMPSessions {
    private var table: OpAMPSessionTable

    public init(settings: OpAMPSettings = OpAMPSettings()) {
        table = OpAMPSessionTable(settings: settings)
    }

    func receive(_ message: OpAMPAgentToServer, at time: Date, scope: AgentScope) -> OpAMPReception {
        table.receive(message, at: time.timeIntervalSince1970, scope: scope)
    }

    func answer(_ reception: OpAMPReception, assignment: AgentAssignment?) -> OpAMPServerToAgent {
        table.answer(reception, assignment: assignment)
    }

    /// How many agent instances are connected (have not said goodbye).
    public var count: Int { table.count }

    public func session(_ instanceUID: Data) -> OpAMPSession? {
        table.session(instanceUID)
    }
}
