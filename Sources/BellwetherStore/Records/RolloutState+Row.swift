import BellwetherCore

extension RolloutState {
    /// Rebuilds a state from its two columns, naming the row when they do not make one.
    init(phase: RolloutPhase, step: Int?, table: String, id: String) throws(StoreError) {
        do {
            self = try RolloutState(phase: phase, step: step)
        } catch {
            throw StoreError.corruptRow(table: table, id: id, problem: error.description)
        }
    }
}
