import Foundation

/// The simulated fleet as Prometheus service discovery sees it: one scrape target per agent, all
/// on the simulator's one listener, told apart by `__metrics_path__` (`/agents/{id}/metrics`) and
/// named by `instance`, in the JSON shape both `file_sd_configs` and `http_sd_configs` read. Each
/// agent is then a target of its own, with its own `up` and staleness when its process is down,
/// as an agent exposing its own endpoint would be.
public struct PrometheusTargets: Sendable, Hashable {
    public struct Group: Sendable, Hashable, Codable {
        public var targets: [String]
        public var labels: [String: String]
    }

    public var groups: [Group]

    /// - Parameter address: the listener as Prometheus reaches it, `HOST:PORT`.
    public init(agents: [String], address: String) {
        groups = agents.sorted().map { agent in
            Group(targets: [address], labels: ["__metrics_path__": Self.path(of: agent), "instance": agent])
        }
    }

    /// The path serving one agent's metrics.
    public static func path(of agent: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "/agents/\(agent.addingPercentEncoding(withAllowedCharacters: allowed) ?? agent)/metrics"
    }

    /// The JSON document, keys sorted so the same fleet always writes the same bytes.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings cannot fail.
        return (try? encoder.encode(groups)) ?? Data("[]".utf8)
    }
}
