/// Splits a replay stream into lines and parses each, so a malformed line anywhere is reported
/// with its number before any analysis runs.
public enum ReplayFile {
    /// Parses every non-blank line of `bytes`, with its 1-based line number; throws on the first
    /// malformed one.
    public static func observations(in bytes: UnsafeBufferPointer<UInt8>) throws(ReplayFormatError) -> [(line: Int, observation: ReplayObservation)] {
        var observations: [(line: Int, observation: ReplayObservation)] = []
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
                observations.append((line, try ReplayLineParser.parse(content, line: line)))
            }
            lineStart = lineEnd + 1
        }
        return observations
    }
}
