import ArgumentParser
import BellwetherCore
import Foundation

/// A command that cannot do what was asked: the message goes to standard error and the exit
/// status follows the interface contract (1 a failed operation, 2 bad usage or bad input).
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var status: Int32

    var description: String { message }

    static func badInput(_ message: String) -> CommandFailure {
        CommandFailure(message: message, status: 2)
    }

    static func failed(_ message: String) -> CommandFailure {
        CommandFailure(message: message, status: 1)
    }

    /// Reads a file the user named, turning "no such file" into a message about that file.
    static func reading<T>(_ path: String, _ read: (String) throws -> T) throws -> T {
        do {
            return try read(path)
        } catch {
            throw badInput("\(path): cannot be read (\((error as NSError).localizedDescription))")
        }
    }
}

/// Reads and validates a policy file for commands that need one.
enum PolicyFileLoader {
    static func load(_ path: String) throws -> Policy {
        let text = try CommandFailure.reading(path) { try String(contentsOfFile: $0, encoding: .utf8) }
        do {
            return try PolicyDecoder.decode(yaml: text, file: path)
        } catch {
            throw CommandFailure.badInput(error.diagnostics.map(\.description).joined(separator: "\n"))
        }
    }
}
