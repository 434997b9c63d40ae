import Foundation

/// Reads a child's output line by line as it arrives, so a test can act on what the child has
/// said so far (for example, kill it after its N-th line) without sleeping or polling.
public struct LineReader {
    private let handle: FileHandle
    private var buffer = Data()

    public init(_ handle: FileHandle) {
        self.handle = handle
    }

    /// The next complete line without its newline, or `nil` once the writer has closed its end
    /// (a trailing line without a newline is dropped: the writer died in the middle of it).
    public mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    /// Every remaining complete line, up to the end of the stream.
    public mutating func rest() -> [String] {
        var lines: [String] = []
        while let line = next() { lines.append(line) }
        return lines
    }
}
