/// One exported time series: an agent's metric with one set of data-point attributes (sorted
/// by key, so the order a client writes them in does not split a series).
struct SeriesKey: Hashable, Sendable {
    var agent: String
    var metric: String
    var attributes: [OTLPKeyValue]

    init(agent: String, metric: String, attributes: [OTLPKeyValue]) {
        self.agent = agent
        self.metric = metric
        self.attributes = attributes.count > 1 ? attributes.sorted { $0.key < $1.key } : attributes
    }
}

/// An agent's metric, all its series summed: what one observation reports.
struct AgentMetric: Hashable, Sendable {
    var agent: String
    var metric: String
}
