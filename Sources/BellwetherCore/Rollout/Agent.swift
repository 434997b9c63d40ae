import Foundation

/// One running agent as the controller last heard from it.
public struct Agent: Sendable, Hashable, Codable, Identifiable {
    /// OpenTelemetry's `service.instance.id`: stable across restarts and upgrades.
    public var id: String
    /// The version the agent reports running.
    public var version: String
    public var labels: [String: String]
    public var healthy: Bool
    public var firstSeen: Date
    public var lastSeen: Date

    public init(id: String, version: String, labels: [String: String] = [:], healthy: Bool = true, firstSeen: Date, lastSeen: Date) {
        self.id = id
        self.version = version
        self.labels = labels
        self.healthy = healthy
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}
