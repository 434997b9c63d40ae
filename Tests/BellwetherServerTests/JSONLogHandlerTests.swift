import BellwetherServer
import Foundation
import Logging
import Synchronization
import Testing

@Suite struct JSONLogHandlerTests {
    @Test func eachRecordIsOneJSONObjectOnOneLineWithItsMetadata() throws {
        let lines = Mutex<[String]>([])
        var handler = JSONLogHandler(label: "bellwether.controller") { line in lines.withLock { $0.append(line) } }
        handler.metadata["process"] = "serve"
        let logger = Logger(label: "bellwether.controller", factory: { _ in handler })
        logger.info("rollout r1: progressing(step 1) → halted(step 1): \"quoted\"\nnext line", metadata: [
            "rollout": "r1", "agents": ["a1", "a2"], "detail": ["check": "ratio"],
        ])
        logger.debug("below the level: not written")

        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false, "the message's newline is escaped")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "bellwether.controller")
        #expect(object["message"] as? String == "rollout r1: progressing(step 1) → halted(step 1): \"quoted\"\nnext line")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["rollout"] as? String == "r1")
        #expect(metadata["process"] as? String == "serve")
        #expect(metadata["agents"] as? [String] == ["a1", "a2"])
        #expect((metadata["detail"] as? [String: String]) == ["check": "ratio"])
        let time = try #require(object["time"] as? String)
        #expect((try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(time)) != nil, "RFC 3339 time: \(time)")
    }
}
