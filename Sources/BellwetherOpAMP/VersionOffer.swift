import BellwetherCore
import Foundation

/// A desired version as OpAMP carries it, to agents that accept only remote configuration: one
/// JSON config file (`{"version": ..., "artifact": {...}, "rollout": ..., "cohort": ...}`) and the
/// SHA-256 of its body, which the agent echoes in `remote_config_status` once it has it.
public struct RemoteConfigOffer: Sendable, Hashable {
    public var fileName: String
    public var body: [UInt8]
    public var hash: [UInt8]

    public init(assignment: AgentAssignment, version: String, fileName: String) {
        self.fileName = fileName
        let content = Content(version: version, artifact: assignment.artifact, rollout: assignment.rolloutID, cohort: assignment.cohort)
        let encoder = JSONEncoder()
        // Sorted keys: the same assignment always gives the same body, hence the same hash, so an
        // agent that has it is not sent it again.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        body = Array((try? encoder.encode(content)) ?? Data())
        hash = SHA256.digest(body)
    }

    public var message: OpAMPAgentRemoteConfig {
        OpAMPAgentRemoteConfig.with {
            $0.config.configMap[fileName] = OpAMPAgentConfigFile.with {
                $0.body = Data(body)
                $0.contentType = "application/json"
            }
            $0.configHash = Data(hash)
        }
    }

    /// The JSON body's fields; an agent reads `version` and fetches `artifact` when it needs to.
    struct Content: Codable, Hashable {
        var version: String
        var artifact: Artifact?
        var rollout: String?
        var cohort: String?
    }
}

/// A desired version as OpAMP carries it to agents that accept packages: one top-level package
/// with its version, download URL and content hash (the rollout's artifact), and the aggregate
/// hash the agent echoes in `package_statuses` once it has processed the offer.
public struct PackageOffer: Sendable, Hashable {
    public var name: String
    public var version: String
    public var artifact: Artifact
    public var packageHash: [UInt8]
    public var allPackagesHash: [UInt8]

    public init(name: String, version: String, artifact: Artifact) {
        self.name = name
        self.version = version
        self.artifact = artifact
        packageHash = SHA256.digest(Array("\(name)\n\(version)\n\(artifact.url)\n\(artifact.sha256)".utf8))
        allPackagesHash = SHA256.digest(Array(name.utf8) + [0] + packageHash)
    }

    public var message: OpAMPPackagesAvailable {
        OpAMPPackagesAvailable.with {
            $0.packages[name] = OpAMPPackageAvailable.with {
                $0.type = .topLevel
                $0.version = version
                $0.file.downloadURL = artifact.url
                $0.file.contentHash = Data(Self.bytes(hex: artifact.sha256))
                $0.hash = Data(packageHash)
            }
            $0.allPackagesHash = Data(allPackagesHash)
        }
    }

    /// The artifact's SHA-256 as bytes, as `DownloadableFile.content_hash` holds it; empty when
    /// the text is not hex (the store only keeps checked hex, so this is defensive).
    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return [] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return [] }
            bytes.append(byte)
        }
        return bytes
    }
}
