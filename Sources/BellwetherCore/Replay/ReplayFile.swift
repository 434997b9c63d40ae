/// JSON Lines of observations: the replay file `bellwether analyze` reads, and the body agents
/// post to `/api/v1/observations`. Blank lines are skipped; line numbers count them anyway, so an
/// error points at the line an editor shows.
public enum ReplayFile {
    /// Parses every non-blank line of `bytes` in order and hands it, with its 1-based line
    /// number, to `body`; throws on the first malformed line.
    public static func forEachObservation(
        in bytes: UnsafeBufferPointer<UInt8>,
        _ body: (Int, ReplayObservation) throws(ReplayFormatError) -> Void
    ) throws(ReplayFormatError) {
        try forEachLine(in: bytes) { content, line throws(ReplayFormatError) in
            try body(line, try ReplayLineParser.parse(content, line: line))
        }
    }

    /// Every observation of `bytes` with its line number.
    public static func observations(in bytes: UnsafeBufferPointer<UInt8>) throws(ReplayFormatError) -> [(line: Int, observation: ReplayObservation)] {
        var observations: [(line: Int, observation: ReplayObservation)] = []
        try forEachObservation(in: bytes) { (line: Int, observation: ReplayObservation) throws(ReplayFormatError) in
            observations.append((line, observation))
        }
        return observations
    }

    /// Parses live agent telemetry (see `ReplayLineParser.parseAgentObservation`), all or nothing:
    /// the first malformed line fails the whole batch.
    public static func agentObservations(in bytes: UnsafeBufferPointer<UInt8>, defaultTime: Double) throws(ReplayFormatError) -> [AgentObservation] {
        var observations: [AgentObservation] = []
        try forEachLine(in: bytes) { content, line throws(ReplayFormatError) in
            observations.append(try ReplayLineParser.parseAgentObservation(content, line: line, defaultTime: defaultTime))
        }
        return observations
    }

    private static func forEachLine(
        in bytes: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws(ReplayFormatError) -> Void
    ) throws(ReplayFormatError) {
        var lineStart = 0
        var line = 0
        while lineStart < bytes.count {
            line += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart, bytes[contentEnd - 1] == 13 { contentEnd -= 1 }
            let content = UnsafeBufferPointer(rebasing: bytes[lineStart..<contentEnd])
            if !content.allSatisfy({ $0 == 32 || $0 == 9 }) {
                try body(content, line)
            }
            lineStart = lineEnd + 1
        }
    }
}
