import BellwetherCore
import BellwetherOpAMP
import BellwetherTestSupport
import Foundation
import SwiftProtobuf
import Testing

/// The server side of OpAMP as a value: what it answers given what it knows of the agent.
@Suite struct OpAMPSessionTests {
    static let uid = Data((0..<16).map { UInt8($0) })
    static let artifact = Artifact(url: "https://example.com/agent-2.4.0.tar.gz", sha256: String(repeating: "ab", count: 32))
    static let assignment = AgentAssignment(desiredVersion: "2.4.0", artifact: artifact, rolloutID: "r1", cohort: "canary")
    static let remoteConfigAgent: UInt64 = 0x1 | 0x2 | 0x4 | 0x1000 | 0x2000  // the Python client's defaults
    static let packageAgent: UInt64 = 0x1 | 0x8 | 0x10 | 0x800

    static func message(
        sequence: UInt64, capabilities: UInt64 = remoteConfigAgent, version: String? = "2.3.0", id: String? = "agent-7",
        configure: (inout OpAMPAgentToServer) -> Void = { _ in }
    ) -> OpAMPAgentToServer {
        var message = OpAMPAgentToServer()
        message.instanceUid = uid
        message.sequenceNum = sequence
        message.capabilities = capabilities
        if let version {
            var attributes: [OpAMPKeyValue] = [
                .with { $0.key = "service.name"; $0.value.stringValue = "io.example.collector" },
                .with { $0.key = "service.version"; $0.value.stringValue = version },
            ]
            if let id { attributes.append(.with { $0.key = "service.instance.id"; $0.value.stringValue = id }) }
            message.agentDescription.identifyingAttributes = attributes
            message.agentDescription.nonIdentifyingAttributes = [.with { $0.key = "region"; $0.value.stringValue = "eu" }]
        }
        configure(&message)
        return message
    }

    @Test func theFirstFullStateJoinsTheFleetUnderServiceInstanceIDWithCapabilitiesInTheReply() {
        var table = OpAMPSessionTable()
        let reception = table.receive(at: 0, Self.message(sequence: 0))
        #expect(reception.reportFullState == false)
        #expect(reception.heartbeat == AgentHeartbeat(id: "agent-7", version: "2.3.0", labels: ["region": "eu", "service.name": "io.example.collector"]))
        let reply = table.answer(reception, assignment: nil)
        #expect(reply.instanceUid == Self.uid)
        #expect(reply.capabilities == 0x1F)
        #expect(reply.flags == 0)
        #expect(!reply.hasRemoteConfig && !reply.hasPackagesAvailable)
    }

    @Test func anAgentWithoutServiceInstanceIDIsKnownByItsInstanceUID() {
        var table = OpAMPSessionTable()
        let reception = table.receive(at: 0, Self.message(sequence: 0, id: nil))
        #expect(reception.heartbeat?.id == "00010203-0405-0607-0809-0a0b0c0d0e0f")
    }

    @Test func anUnknownAgentWithoutADescriptionIsAskedForItsFullState() {
        var table = OpAMPSessionTable()
        let reception = table.receive(at: 0, Self.message(sequence: 41, version: nil))
        #expect(reception.reportFullState)
        #expect(reception.heartbeat == nil)
        #expect(table.answer(reception, assignment: Self.assignment).flags == 1)
        #expect(table.answer(table.receive(at: 0, Self.message(sequence: 42)), assignment: nil).flags == 0)
    }

    @Test func aSequenceGapOrRepeatAsksForTheFullState() {
        var table = OpAMPSessionTable()
        _ = table.receive(at: 0, Self.message(sequence: 0))
        #expect(table.receive(at: 0, Self.message(sequence: 1, version: nil)).reportFullState == false)
        #expect(table.receive(at: 0, Self.message(sequence: 3, version: nil)).reportFullState)
        #expect(table.receive(at: 0, Self.message(sequence: 3, version: nil)).reportFullState)
        #expect(table.receive(at: 0, Self.message(sequence: 4)).reportFullState == false)
    }

    @Test func remoteConfigAgentsAreOfferedTheVersionAsJSONUntilTheyReportItsHash() throws {
        var table = OpAMPSessionTable()
        let reply = table.answer(table.receive(at: 0, Self.message(sequence: 0)), assignment: Self.assignment)
        let file = try #require(reply.remoteConfig.config.configMap["bellwether"])
        #expect(file.contentType == "application/json")
        let body = try #require(try JSONSerialization.jsonObject(with: file.body) as? [String: Any])
        #expect(body["version"] as? String == "2.4.0")
        #expect(body["rollout"] as? String == "r1")
        #expect((body["artifact"] as? [String: String])?["sha256"] == Self.artifact.sha256)
        #expect(reply.remoteConfig.configHash == Data(SHA256.digest(file.body)))
        #expect(!reply.hasPackagesAvailable)

        // Not yet acknowledged: offered again. Acknowledged (applying, then applied): not again.
        #expect(table.answer(table.receive(at: 0, Self.message(sequence: 1, version: nil)), assignment: Self.assignment).hasRemoteConfig)
        let applying = Self.message(sequence: 2, version: nil) {
            $0.remoteConfigStatus = .with { $0.lastRemoteConfigHash = reply.remoteConfig.configHash; $0.status = .applying }
        }
        let reception = table.receive(at: 0, applying)
        #expect(!table.answer(reception, assignment: Self.assignment).hasRemoteConfig)
        // The fleet sees the agent on what it runs until it reports the new service.version.
        #expect(reception.heartbeat?.version == "2.3.0")
        #expect(table.receive(at: 0, Self.message(sequence: 3, version: "2.4.0")).heartbeat?.version == "2.4.0")
    }

    @Test func aFailedRemoteConfigMakesTheAgentUnhealthy() {
        var table = OpAMPSessionTable()
        _ = table.receive(at: 0, Self.message(sequence: 0))
        let failed = table.receive(at: 0, Self.message(sequence: 1, version: nil) {
            $0.remoteConfigStatus = .with { $0.status = .failed; $0.errorMessage = "disk full" }
        })
        #expect(failed.heartbeat?.healthy == false)
    }

    @Test func healthComesFromTheHealthField() {
        var table = OpAMPSessionTable()
        _ = table.receive(at: 0, Self.message(sequence: 0))
        #expect(table.receive(at: 0, Self.message(sequence: 1, version: nil) { $0.health = .with { $0.healthy = false; $0.lastError = "exporter down" } }).heartbeat?.healthy == false)
        #expect(table.receive(at: 0, Self.message(sequence: 2, version: nil)).heartbeat?.healthy == false)
        #expect(table.receive(at: 0, Self.message(sequence: 3, version: nil) { $0.health = .with { $0.healthy = true } }).heartbeat?.healthy == true)
    }

    @Test func packageAgentsAreOfferedTheArtifactAndConvergeOnTheirPackageStatus() throws {
        var table = OpAMPSessionTable()
        let reply = table.answer(table.receive(at: 0, Self.message(sequence: 0, capabilities: Self.packageAgent)), assignment: Self.assignment)
        #expect(!reply.hasRemoteConfig)
        let package = try #require(reply.packagesAvailable.packages["io.example.collector"])
        #expect(package.type == .topLevel)
        #expect(package.version == "2.4.0")
        #expect(package.file.downloadURL == Self.artifact.url)
        #expect(package.file.contentHash == Data(repeating: 0xAB, count: 32))
        #expect(reply.packagesAvailable.allPackagesHash.count == 32)

        func statuses(_ status: OpAMPPackageStatusEnum, has version: String) -> (inout OpAMPAgentToServer) -> Void {
            { message in
                message.packageStatuses = .with {
                    $0.serverProvidedAllPackagesHash = reply.packagesAvailable.allPackagesHash
                    $0.packages["io.example.collector"] = .with { $0.name = "io.example.collector"; $0.agentHasVersion = version; $0.serverOfferedVersion = "2.4.0"; $0.status = status }
                }
            }
        }
        let installing = table.receive(at: 0, Self.message(sequence: 1, capabilities: Self.packageAgent, version: nil, configure: statuses(.installing, has: "2.3.0")))
        #expect(installing.heartbeat?.version == "2.3.0")
        #expect(!table.answer(installing, assignment: Self.assignment).hasPackagesAvailable)
        // The package status, not service.version, says what runs.
        let installed = table.receive(at: 0, Self.message(sequence: 2, capabilities: Self.packageAgent, version: "2.3.0", configure: statuses(.installed, has: "2.4.0")))
        #expect(installed.heartbeat?.version == "2.4.0")
        #expect(installed.heartbeat?.healthy == true)
        let failed = table.receive(at: 0, Self.message(sequence: 3, capabilities: Self.packageAgent, version: nil, configure: statuses(.installFailed, has: "2.3.0")))
        #expect(failed.heartbeat?.healthy == false)
    }

    @Test func aPackageAgentIsOfferedRemoteConfigWhenTheVersionHasNoArtifactAndItAcceptsBoth() {
        var table = OpAMPSessionTable()
        let reception = table.receive(at: 0, Self.message(sequence: 0, capabilities: Self.packageAgent | 0x2))
        let reply = table.answer(reception, assignment: AgentAssignment(desiredVersion: "2.3.0"))
        #expect(reply.hasRemoteConfig && !reply.hasPackagesAvailable)
    }

    @Test func disconnectForgetsTheSessionAndIsNoHeartbeat() {
        var table = OpAMPSessionTable()
        _ = table.receive(at: 0, Self.message(sequence: 0))
        let goodbye = table.receive(at: 0, Self.message(sequence: 1, version: nil) { $0.agentDisconnect = OpAMPAgentDisconnect() })
        #expect(goodbye.disconnected && goodbye.heartbeat == nil)
        #expect(table.count == 0)
        #expect(table.answer(goodbye, assignment: Self.assignment).instanceUid == Self.uid)
        // Heard from again without a description: a stranger, asked for its full state.
        #expect(table.receive(at: 0, Self.message(sequence: 2, version: nil)).reportFullState)
    }

    @Test func sessionsIdleForTooLongAreForgotten() {
        var table = OpAMPSessionTable()
        _ = table.receive(at: 0, Self.message(sequence: 0))
        #expect(table.receive(at: 3_000, Self.message(sequence: 1, version: nil)).reportFullState == false)
        #expect(table.count == 1)
        // Another agent's message past the idle period sweeps the silent one out.
        var other = Self.message(sequence: 0)
        other.instanceUid = Data(repeating: 9, count: 16)
        _ = table.receive(at: 6_700, other)
        #expect(table.count == 1)
        #expect(table.receive(at: 6_701, Self.message(sequence: 2, version: nil)).reportFullState, "a stranger again")
    }

    @Test func aNewInstancePastTheSessionLimitIsRefusedUntilAnIdleOneIsSweptOut() {
        var settings = OpAMPSettings()
        settings.maxSessions = 2
        var table = OpAMPSessionTable(settings: settings)
        func instance(_ byte: UInt8) -> OpAMPAgentToServer {
            Self.message(sequence: 0) { $0.instanceUid = Data(repeating: byte, count: 16) }
        }
        #expect(!table.receive(instance(1), at: 0).refused)
        #expect(!table.receive(instance(2), at: 100).refused)
        let third = table.receive(instance(3), at: 200)
        #expect(third.refused)
        #expect(third.heartbeat == nil)
        #expect(table.count == 2)
        #expect(!table.receive(instance(1), at: 300).refused, "a session held goes on")
        // Past the idle period of instance 2 (3,600 s), its place is free at once, without waiting for a sweep.
        #expect(!table.receive(instance(3), at: 3_750).refused)
        #expect(table.session(Data(repeating: 2, count: 16)) == nil)
    }

    @Test func anInstanceOutsideTheCallersScopeIsRefusedAndNothingOfItIsKept() {
        var table = OpAMPSessionTable()
        let eu = AgentScope.prefix("eu-")
        let stranger = table.receive(Self.message(sequence: 0, id: "us-7"), at: 0, scope: eu)
        #expect(stranger.outOfScope == "us-7")
        #expect(stranger.heartbeat == nil)
        #expect(table.count == 0, "a refused instance takes no place in the table")

        #expect(table.receive(Self.message(sequence: 0, id: "eu-7"), at: 10, scope: eu).heartbeat?.id == "eu-7")
        let renamed = table.receive(Self.message(sequence: 1, id: "us-7"), at: 20, scope: eu)
        #expect(renamed.outOfScope == "us-7")
        #expect(table.session(Self.uid)?.agentID == "eu-7", "an admitted instance cannot be turned into another team's agent")

        let undescribed = table.receive(Self.message(sequence: 0, version: nil) { $0.instanceUid = Data(repeating: 9, count: 16) }, at: 30, scope: eu)
        #expect(undescribed.outOfScope == nil && undescribed.reportFullState, "an instance that has not said who it is is asked to, as any other")
    }

    @Test func sha256MatchesTheStandardVectors() {
        func hex(_ text: String) -> String { SHA256.digest(Array(text.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}

extension OpAMPSessionTable {
    /// `receive(_:at:)` with the time first, where the message is built by a long expression.
    mutating func receive(at time: Double, _ message: OpAMPAgentToServer) -> OpAMPReception {
        receive(message, at: time)
    }
}
