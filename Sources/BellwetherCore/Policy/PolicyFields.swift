import Yams

/// The entries of one YAML mapping whose keys have been checked against the format, with the nodes
/// kept so every later problem can still point at its line and column.
struct PolicyFields {
    struct Entry {
        var key: String
        var keyNode: Node
        var value: Node
    }

    let node: Node
    let path: FieldPath
    let entries: [Entry]

    subscript(key: String) -> Node? {
        entries.first { $0.key == key }?.value
    }

    func entry(_ key: String) -> Entry? {
        entries.first { $0.key == key }
    }

    func path(_ key: String) -> FieldPath {
        path.key(key)
    }
}
