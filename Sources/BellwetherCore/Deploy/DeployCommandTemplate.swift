import Foundation

/// A deploy command as the server configuration names it, such as
/// `deploy/drivers/ssh-systemd.sh {agent} {version} {url} {sha256}`: split into words once, when
/// the configuration is read, and filled in per agent word by word. No shell ever sees the
/// result, so an agent id like `a; rm -rf /` reaches the program as one literal argument.
///
/// Words are separated by blanks; single or double quotes group blanks into one word (no escapes,
/// no expansions). Placeholders: `{agent}`, `{version}`, `{url}`, `{sha256}`, `{rollout}`,
/// `{cohort}`; an artifact-less assignment fills `{url}` and `{sha256}` with empty strings.
///
/// A template is at most `maxBytes` long: a program and its arguments, not a script, and the
/// bound keeps what one configuration line costs per agent small.
public struct DeployCommandTemplate: Sendable, Hashable, CustomStringConvertible {
    public let words: [String]
    public static let placeholders = ["agent", "version", "url", "sha256", "rollout", "cohort"]
    public static let maxBytes = 4_096

    public init(_ template: String) throws(DeployCommandError) {
        guard template.utf8.count <= Self.maxBytes else {
            throw DeployCommandError("deploy command is \(template.utf8.count) bytes long, past the limit of \(Self.maxBytes): name a program (a script) and its arguments")
        }
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for character in template {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard quote == nil else { throw DeployCommandError("deploy command: a quote is not closed in `\(template)`") }
        if inWord { words.append(current) }
        guard let program = words.first, !program.isEmpty else {
            throw DeployCommandError("deploy command is empty: name a program, such as `deploy/drivers/ssh-systemd.sh {agent} {version} {url} {sha256}`")
        }
        for word in words {
            for name in Self.names(in: word) where !Self.placeholders.contains(name) {
                throw DeployCommandError("deploy command: unknown placeholder {\(name)}; the placeholders are \(Self.placeholders.map { "{\($0)}" }.joined(separator: ", "))")
            }
        }
        self.words = words
    }

    /// The program and its arguments for one agent, each placeholder replaced by its value.
    public func arguments(_ values: [String: String]) -> [String] {
        words.map { word in
            var result = word
            for name in Self.placeholders {
                result = result.replacingOccurrences(of: "{\(name)}", with: values[name] ?? "")
            }
            return result
        }
    }

    public var description: String { words.joined(separator: " ") }

    private static func names(in word: String) -> [String] {
        var names: [String] = []
        var rest = word[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}

/// Why a deploy command template cannot be used, in words the operator can act on.
public struct DeployCommandError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
