import Yams

/// Walks a composed YAML tree by hand and records every problem with its position instead of
/// stopping at the first, which is what `Codable` decoding would do.
///
/// Each reader returns `nil` after recording why, so callers carry on with the rest of the policy.
/// It lives for one decode on one task and is never shared.
final class PolicyNodeReader {
    let file: String
    private(set) var diagnostics: [PolicyDiagnostic] = []

    init(file: String) {
        self.file = file
    }

    func report(_ node: Node?, _ path: FieldPath, _ message: String) {
        report(line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, field: path.description, message)
    }

    func report(line: Int, column: Int, field: String, _ message: String) {
        diagnostics.append(PolicyDiagnostic(file: file, line: line, column: column, field: field, message: message))
    }

    // MARK: Structure

    /// The mapping at `path`, with any key the format does not know reported and left out.
    func fields(_ node: Node, _ path: FieldPath) -> PolicyFields? {
        guard let mapping = node.mapping else {
            report(node, path, "\(path.isRoot ? "the policy " : "")must be a mapping of keys to values, found \(Self.describe(node))")
            return nil
        }
        let known = PolicyDecoder.knownKeys[path.pattern]
        var entries: [PolicyFields.Entry] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                report(keyNode, path, "\(path.isRoot ? "the policy " : "")has a key that is not a plain name")
                continue
            }
            if let known, !known.contains(key) {
                let advice = PolicyDecoder.keyAdvice[path.key(key).pattern]
                report(keyNode, path.key(key), advice ?? "is not a known key: \(KeySuggester.hint(for: key, among: known))")
                continue
            }
            entries.append(PolicyFields.Entry(key: key, keyNode: keyNode, value: value))
        }
        return PolicyFields(node: node, path: path, entries: entries)
    }

    /// Reads `key` of `fields` with `read`; when the key is absent and `example` is given, reports
    /// it as required and shows how to write it.
    func value<T>(
        _ fields: PolicyFields, _ key: String, requiredLike example: String? = nil,
        _ read: (Node, FieldPath) -> T?
    ) -> T? {
        guard let node = fields[key] else {
            if let example {
                report(fields.node, fields.path(key), "is required, for example `\(example)`")
            }
            return nil
        }
        return read(node, fields.path(key))
    }

    func list(_ node: Node, _ path: FieldPath) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(node, path, "must be a list, found \(Self.describe(node))")
            return nil
        }
        return Array(sequence)
    }

    /// A mapping of the operator's own keys to scalar values, such as labels or a filter.
    func labels(_ node: Node, _ path: FieldPath) -> [String: String]? {
        guard let mapping = node.mapping else {
            report(node, path, "must be a mapping such as `{role: collector}`, found \(Self.describe(node))")
            return nil
        }
        var labels: [String: String] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                report(keyNode, path, "has a key that is not a plain name")
                continue
            }
            if let text = text(value, path.key(key)) { labels[key] = text }
        }
        return labels
    }

    // MARK: Scalars

    /// Any non-empty scalar, read as written.
    func text(_ node: Node, _ path: FieldPath) -> String? {
        guard let scalar = node.scalar, !Self.isNull(node), !scalar.string.isEmpty else {
            report(node, path, "must be a text value, found \(Self.describe(node))")
            return nil
        }
        return scalar.string
    }

    func number(_ node: Node, _ path: FieldPath) -> Double? {
        guard Self.isNumber(node), let number = node.float ?? node.int.map(Double.init) else {
            report(node, path, "must be a number, found \(Self.describe(node))")
            return nil
        }
        return number
    }

    func integer(_ node: Node, _ path: FieldPath) -> Int? {
        guard node.tag.rawValue == Tag.Name.int.rawValue, let integer = node.int else {
            report(node, path, "must be a whole number, found \(Self.describe(node))")
            return nil
        }
        return integer
    }

    func bool(_ node: Node, _ path: FieldPath) -> Bool? {
        guard node.tag.rawValue == Tag.Name.bool.rawValue, let bool = node.bool else {
            report(node, path, "must be true or false, found \(Self.describe(node))")
            return nil
        }
        return bool
    }

    /// A positive duration in seconds.
    func duration(_ node: Node, _ path: FieldPath) -> Double? {
        if Self.isNumber(node) {
            report(node, path, "needs a unit, found \(Self.describe(node)): \(DurationParser.hint)")
            return nil
        }
        guard let text = text(node, path) else { return nil }
        guard let seconds = DurationParser.seconds(text) else {
            report(node, path, "is not a duration, found '\(text)': \(DurationParser.hint)")
            return nil
        }
        guard seconds > 0 else {
            report(node, path, "must be longer than zero, found '\(text)': \(DurationParser.hint)")
            return nil
        }
        return seconds
    }

    /// One of a fixed set of words, with a did-you-mean for near misses.
    func choice<Choice: RawRepresentable<String> & CaseIterable>(_ node: Node, _ path: FieldPath) -> Choice? {
        let words = Choice.allCases.map(\.rawValue)
        let options = words.count <= 2 ? words.joined(separator: " or ") : words.dropLast().joined(separator: ", ") + " or " + words[words.count - 1]
        guard let text = text(node, path) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            var message = "must be \(options), found '\(text)'"
            if let near = KeySuggester.nearest(to: text, among: words) { message += ": did you mean '\(near)'?" }
            report(node, path, message)
            return nil
        }
        return choice
    }

    /// Reports `value` unless `isValid`, saying what range it must fall in.
    func require(_ value: Double?, _ node: Node?, _ path: FieldPath, _ range: String, _ isValid: (Double) -> Bool) {
        guard let value, !isValid(value) else { return }
        report(node, path, "must be \(range), found \(Self.format(value))")
    }

    // MARK: Describing what was found

    static func isNull(_ node: Node) -> Bool {
        node.tag.rawValue == Tag.Name.null.rawValue
    }

    static func isNumber(_ node: Node) -> Bool {
        [Tag.Name.int.rawValue, Tag.Name.float.rawValue].contains(node.tag.rawValue)
    }

    /// How a message names an unexpected node: its text for scalars, its shape otherwise.
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): isNull(node) ? "nothing" : "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// Numbers as an operator wrote them: `10`, not `10.0`.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
