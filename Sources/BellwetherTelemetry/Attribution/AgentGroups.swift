/// Per-agent values in the order agents first appear in a request: observations come out in a
/// stable order, and an agent whose data spans several resources gets one observation.
struct AgentGroups<Value> {
    private var order: [String] = []
    private var values: [String: Value] = [:]

    /// `agent`'s value, created with `initial` when the agent is new.
    mutating func update(_ agent: String, initial: @autoclosure () -> Value, _ change: (inout Value) -> Void) {
        if values[agent] == nil {
            order.append(agent)
            values[agent] = initial()
        }
        change(&values[agent]!)
    }

    /// Every agent with its value, in the order they first appeared.
    var ordered: [(agent: String, value: Value)] {
        order.map { ($0, values[$0]!) }
    }
}
