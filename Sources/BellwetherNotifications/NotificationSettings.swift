import Foundation

/// The controller-wide side of notifications; what to notify and where is in each policy.
public struct NotificationSettings: Sendable, Hashable {
    /// The dashboard's base URL as operators reach it (`https://bellwether.example.com`); each
    /// notification then links to `<base>/rollouts/<id>`. Without it, notifications carry no link.
    public var dashboardURL: String?
    /// Signs webhooks whose policy names no secret (`BELLWETHER_WEBHOOK_SECRET`).
    public var defaultSecret: String?
    /// Where a webhook's `secretEnv` is looked up: the controller's environment.
    public var environment: [String: String]
    public var retry: RetrySchedule
    /// Deliveries attempted at once; more wait for the next pass.
    public var batchSize: Int
    /// Pending deliveries kept at most; beyond it the oldest are given up on, with an error log.
    public var capacity: Int
    /// How often the outbox looks for new audit events and due retries.
    public var pollInterval: Duration
    /// One attempt's whole time: connecting, sending, and reading the receiver's answer. A
    /// receiver slower than this costs an attempt, retried on `retry`.
    public var timeout: Duration

    public init(
        dashboardURL: String? = nil, defaultSecret: String? = nil, environment: [String: String] = [:],
        retry: RetrySchedule = RetrySchedule(), batchSize: Int = 16, capacity: Int = 10_000, pollInterval: Duration = .seconds(1),
        timeout: Duration = .seconds(10)
    ) {
        self.dashboardURL = dashboardURL
        self.defaultSecret = defaultSecret
        self.environment = environment
        self.retry = retry
        self.batchSize = batchSize
        self.capacity = capacity
        self.pollInterval = pollInterval
        self.timeout = timeout
    }

    /// The dashboard's page of one rollout (`/?rollout=ID`, the address its own links use).
    func dashboardLink(rollout: String) -> String? {
        guard var base = dashboardURL, !base.isEmpty else { return nil }
        while base.hasSuffix("/") { base.removeLast() }
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        let id = rollout.addingPercentEncoding(withAllowedCharacters: allowed) ?? rollout
        return "\(base)/?rollout=\(id)"
    }
}
