import BellwetherCore
import Foundation

/// What the server knows of one agent instance (one `instance_uid`), and the protocol's rules
/// for answering it: a value with no I/O, so every rule is tested without a server.
///
/// The agent joins the fleet as the agent of its `service.instance.id` (its instance uid when it
/// has none), so a restart, which brings a new instance uid, continues the same fleet member. It
/// counts as running:
/// - its top-level package's `agent_has_version`, once it has reported the package Bellwether
///   offers it (agents that accept packages);
/// - otherwise its `service.version`, the version of the running build (agents configured
///   remotely report the new version once they have installed it and restarted).
public struct OpAMPSession: Sendable, Hashable {
    public let instanceUID: Data
    /// The last sequence number received; nil before the first message.
    public private(set) var lastSequence: UInt64?
    public private(set) var capabilities = AgentCapabilities()
    public private(set) var identifying: [String: String] = [:]
    public private(set) var nonIdentifying: [String: String] = [:]
    /// Whether an `agent_description` has arrived: without one the agent has no version to report.
    public private(set) var isDescribed = false
    public private(set) var health: Health?
    public private(set) var remoteConfigStatus: RemoteConfigState?
    public private(set) var packageStatuses: [String: PackageState] = [:]
    public private(set) var serverProvidedAllPackagesHash: Data?
    /// What was last offered, for agents that do not report what they hold.
    private var offeredConfigHash: [UInt8]?
    private var offeredPackagesHash: [UInt8]?

    public init(instanceUID: Data) {
        self.instanceUID = instanceUID
    }

    /// Takes in one message: the parts it carries replace what was known (OpAMP omits what did not
    /// change). Returns whether the agent must be asked for its full state: its first message
    /// lacks a description (the server restarted, or lost it), or the sequence number is not the
    /// previous one plus one (a message was lost, or repeated on retry).
    public mutating func receive(_ message: OpAMPAgentToServer) -> Bool {
        let gap = lastSequence.map { message.sequenceNum != $0 &+ 1 } ?? false
        lastSequence = message.sequenceNum
        capabilities = AgentCapabilities(rawValue: message.capabilities)
        if message.hasAgentDescription {
            identifying = Self.attributes(message.agentDescription.identifyingAttributes)
            nonIdentifying = Self.attributes(message.agentDescription.nonIdentifyingAttributes)
            isDescribed = true
        }
        if message.hasHealth {
            health = Health(healthy: message.health.healthy, lastError: message.health.lastError, status: message.health.status)
        }
        if message.hasRemoteConfigStatus {
            let status = message.remoteConfigStatus
            remoteConfigStatus = RemoteConfigState(hash: status.lastRemoteConfigHash, status: status.status, errorMessage: status.errorMessage)
        }
        if message.hasPackageStatuses {
            packageStatuses = message.packageStatuses.packages.mapValues {
                PackageState(hasVersion: $0.agentHasVersion, offeredVersion: $0.serverOfferedVersion, status: $0.status, errorMessage: $0.errorMessage)
            }
            serverProvidedAllPackagesHash = message.packageStatuses.serverProvidedAllPackagesHash
        }
        return gap || !isDescribed
    }

    /// The fleet member this instance reports for: `service.instance.id`, else the instance uid.
    public var agentID: String {
        identifying["service.instance.id"].flatMap { $0.isEmpty ? nil : $0 } ?? UUID(uuid: instanceUID.uuidBytes).uuidString.lowercased()
    }

    /// The package a version is offered under: the agent's `service.name`.
    public func packageName(_ settings: OpAMPSettings) -> String {
        identifying["service.name"].flatMap { $0.isEmpty ? nil : $0 } ?? settings.defaultPackageName
    }

    /// The version the agent runs, as the rollout judges convergence; nil until it says.
    public func runningVersion(_ settings: OpAMPSettings) -> String? {
        if capabilities.contains(.acceptsPackages), let package = packageStatuses[packageName(settings)], !package.hasVersion.isEmpty {
            return package.hasVersion
        }
        return identifying["service.version"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Healthy unless its `health` says otherwise or it failed to apply what it was offered: an
    /// agent that cannot install the version it was told to run is not a healthy member of the
    /// canary.
    public var isHealthy: Bool {
        let applyFailed = remoteConfigStatus?.status == .failed || packageStatuses.values.contains { $0.status == .installFailed }
        return (health?.healthy ?? true) && !applyFailed
    }

    /// The heartbeat the fleet registry takes for this message; nil before the agent has said
    /// which version it runs.
    public func heartbeat(_ settings: OpAMPSettings) -> AgentHeartbeat? {
        guard isDescribed, let version = runningVersion(settings) else { return nil }
        var labels = nonIdentifying
        for (key, value) in identifying where key != "service.instance.id" && key != "service.version" {
            labels[key] = value
        }
        return AgentHeartbeat(id: agentID, version: version, labels: labels, healthy: isHealthy)
    }

    /// The answer to the message just received: always the instance uid and the server's
    /// capabilities (cheap, and an HTTP agent cannot tell that the server restarted), the
    /// ReportFullState flag when asked for, and the desired version when the agent does not
    /// have it yet: as a package to agents that accept packages (when the version has an artifact
    /// to download), otherwise as remote configuration to agents that accept it.
    public mutating func answer(reportFullState: Bool, assignment: AgentAssignment?, settings: OpAMPSettings) -> OpAMPServerToAgent {
        var reply = OpAMPServerToAgent()
        reply.instanceUid = instanceUID
        reply.capabilities = ServerCapabilities.bellwether.rawValue
        if reportFullState { reply.flags = UInt64(OpAMPServerToAgentFlags.reportFullState.rawValue) }
        guard let assignment, let version = assignment.desiredVersion else { return reply }
        if capabilities.contains(.acceptsPackages), let artifact = assignment.artifact {
            let offer = PackageOffer(name: packageName(settings), version: version, artifact: artifact)
            let held = capabilities.contains(.reportsPackageStatuses) ? serverProvidedAllPackagesHash.map(Array.init) : offeredPackagesHash
            if held != offer.allPackagesHash {
                reply.packagesAvailable = offer.message
                offeredPackagesHash = offer.allPackagesHash
            }
        } else if capabilities.contains(.acceptsRemoteConfig) {
            let offer = RemoteConfigOffer(assignment: assignment, version: version, fileName: settings.configFileName)
            let held = capabilities.contains(.reportsRemoteConfig) ? remoteConfigStatus.map { Array($0.hash) } : offeredConfigHash
            if held != offer.hash {
                reply.remoteConfig = offer.message
                offeredConfigHash = offer.hash
            }
        }
        return reply
    }

    /// Attribute values as text, the last of a repeated key winning.
    static func attributes(_ pairs: [OpAMPKeyValue]) -> [String: String] {
        var result: [String: String] = [:]
        for pair in pairs where !pair.key.isEmpty {
            result[pair.key] = pair.value.text
        }
        return result
    }

    /// The top-level `health` the agent last reported.
    public struct Health: Sendable, Hashable {
        public var healthy: Bool
        public var lastError: String
        public var status: String
    }

    /// The agent's last `remote_config_status`.
    public struct RemoteConfigState: Sendable, Hashable {
        public var hash: Data
        public var status: OpAMPRemoteConfigStatuses
        public var errorMessage: String
    }

    /// One package of the agent's last `package_statuses`.
    public struct PackageState: Sendable, Hashable {
        public var hasVersion: String
        public var offeredVersion: String
        public var status: OpAMPPackageStatusEnum
        public var errorMessage: String
    }
}

extension Data {
    /// The 16 bytes of an instance uid as a `uuid_t`; callers have checked the length.
    var uuidBytes: uuid_t {
        var bytes = [UInt8](repeating: 0, count: 16)
        bytes.replaceSubrange(0..<Swift.min(16, count), with: prefix(16))
        return (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])
    }
}
