/// The bits of `AgentToServer.capabilities`: what an agent says it can do, which decides how the
/// server offers it a version (packages or remote configuration) and what it reads back.
public struct AgentCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let reportsStatus = Self(rawValue: 0x1)
    public static let acceptsRemoteConfig = Self(rawValue: 0x2)
    public static let reportsEffectiveConfig = Self(rawValue: 0x4)
    public static let acceptsPackages = Self(rawValue: 0x8)
    public static let reportsPackageStatuses = Self(rawValue: 0x10)
    public static let reportsHealth = Self(rawValue: 0x800)
    public static let reportsRemoteConfig = Self(rawValue: 0x1000)
    public static let reportsHeartbeat = Self(rawValue: 0x2000)
}

/// The bits of `ServerToAgent.capabilities` this server sets: it takes status, effective config
/// and package statuses, and offers versions as remote configuration or as packages. Connection
/// settings are not offered.
public struct ServerCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let acceptsStatus = Self(rawValue: 0x1)
    public static let offersRemoteConfig = Self(rawValue: 0x2)
    public static let acceptsEffectiveConfig = Self(rawValue: 0x4)
    public static let offersPackages = Self(rawValue: 0x8)
    public static let acceptsPackagesStatus = Self(rawValue: 0x10)

    public static let bellwether: Self = [.acceptsStatus, .offersRemoteConfig, .acceptsEffectiveConfig, .offersPackages, .acceptsPackagesStatus]
}
