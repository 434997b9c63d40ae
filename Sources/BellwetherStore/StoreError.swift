import BellwetherCore

/// Why the store refused a write or could not answer a read. Every case leaves the database as
/// it was, and its description tells the operator (or the caller) what to change before retrying.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A rollout with this id already exists; ids are never reused, because the audit log keeps them.
    case duplicateRollout(id: String)
    /// Another rollout that has not finished may select some of the same agents; two active
    /// rollouts must never fight over one agent's version (HTTP 409).
    case conflictingRollout(existingID: String, existingPhase: RolloutPhase, existingSelector: AgentSelector, newSelector: AgentSelector)
    case unknownRollout(id: String)
    /// The transition was computed from a state the rollout is no longer in: someone else moved it
    /// first (another controller, an operator). Nothing was written; recompute from `actual`.
    case staleTransition(rolloutID: String, expected: RolloutState, actual: RolloutState)
    /// Desired versions can only be assigned to agents that have sent at least one heartbeat.
    case unknownAgents(ids: [String])
    /// A row the store wrote can no longer be read back (edited by hand, or written by a newer Bellwether).
    case corruptRow(table: String, id: String, problem: String)

    public var description: String {
        switch self {
        case .duplicateRollout(let id):
            "a rollout with id '\(id)' already exists; start the new rollout with a different id"
        case .conflictingRollout(let existingID, let existingPhase, let existingSelector, let newSelector):
            """
            rollout '\(existingID)' is still \(existingPhase.rawValue) and its selector \(Self.describe(existingSelector)) \
            may select the same agents as the new selector \(Self.describe(newSelector)); wait for it to finish, \
            abort it (`bellwether rollout abort \(existingID)`), or give the new policy a selector that requires \
            a different value for one of the same labels
            """
        case .unknownRollout(let id):
            "no rollout with id '\(id)'; `bellwether rollout list` shows the known ones"
        case .staleTransition(let rolloutID, let expected, let actual):
            """
            rollout '\(rolloutID)' is \(actual), not \(expected) as the transition assumed; \
            it was changed concurrently, so re-read its state and decide again
            """
        case .unknownAgents(let ids):
            "no heartbeat was ever received from agent(s) \(ids.joined(separator: ", ")); assign versions only to agents the controller knows"
        case .corruptRow(let table, let id, let problem):
            "the \(table) row '\(id)' cannot be read: \(problem); restore the database from a backup or remove the row"
        }
    }

    private static func describe(_ selector: AgentSelector) -> String {
        guard !selector.labels.isEmpty else { return "{} (every agent)" }
        let pairs = selector.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "{" + pairs.joined(separator: ", ") + "}"
    }
}
