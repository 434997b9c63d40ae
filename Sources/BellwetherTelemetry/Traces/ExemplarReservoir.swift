import BellwetherCore

/// The latest failing spans per agent and span name, at most `capacity` each and for at most
/// `namesPerAgent` names of each agent: recent evidence is what an operator looking at a rollout
/// wants, and the bounds keep a failing fleet, or one agent inventing span names, from growing the
/// controller's memory. Spans of names past the bound are counted but not kept as exemplars.
public struct ExemplarReservoir: Sendable {
    private struct Key: Hashable, Sendable {
        var agent: String
        var name: String
    }

    /// A ring: `next` is where the following exemplar goes once the ring is full.
    private struct Ring: Sendable {
        var items: [FailingSpanExemplar] = []
        var next = 0
    }

    public let capacity: Int
    public let namesPerAgent: Int
    private var rings: [Key: Ring] = [:]
    private var names: [String: Int] = [:]

    public init(capacity: Int = 20, namesPerAgent: Int = 64) {
        precondition(capacity > 0, "an exemplar reservoir must keep at least one exemplar")
        self.capacity = capacity
        self.namesPerAgent = namesPerAgent
    }

    mutating func add(_ exemplar: FailingSpanExemplar) {
        let key = Key(agent: exemplar.agent, name: exemplar.name)
        if rings[key] == nil {
            guard names[exemplar.agent, default: 0] < namesPerAgent else { return }
            names[exemplar.agent, default: 0] += 1
        }
        var ring = rings.removeValue(forKey: key) ?? Ring()
        if ring.items.count < capacity {
            ring.items.append(exemplar)
        } else {
            ring.items[ring.next] = exemplar
            ring.next = (ring.next + 1) % capacity
        }
        rings[key] = ring
    }

    /// Drops the exemplars of `agents`.
    mutating func remove(agents: Set<String>) {
        guard !agents.isEmpty else { return }
        rings = rings.filter { !agents.contains($0.key.agent) }
        for agent in agents { names[agent] = nil }
    }

    /// Agents with exemplars kept.
    public var agentCount: Int { Set(rings.keys.map(\.agent)).count }

    /// An agent's kept exemplars of one span name, oldest first.
    public func exemplars(agent: String, name: String) -> [FailingSpanExemplar] {
        guard let ring = rings[Key(agent: agent, name: name)] else { return [] }
        return Array(ring.items[ring.next...] + ring.items[..<ring.next])
    }

    /// Every agent's kept exemplars of one span name, oldest first within each agent.
    public func exemplars(name: String) -> [FailingSpanExemplar] {
        rings.keys.filter { $0.name == name }.sorted { $0.agent < $1.agent }.flatMap { exemplars(agent: $0.agent, name: name) }
    }
}
