/// Where a node sits in a policy, written the way an operator reads it: `analysis.checks[1].ratio`.
struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    private enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    private var components: [Component] = []

    static let root = FieldPath()

    var isRoot: Bool { components.isEmpty }

    func key(_ name: String) -> FieldPath {
        var path = self
        path.components.append(.key(name))
        return path
    }

    func index(_ position: Int) -> FieldPath {
        var path = self
        path.components.append(.index(position))
        return path
    }

    var description: String { render { "[\($0)]" } }

    /// The path with every index erased (`analysis.checks[].ratio`): the key of `PolicyDecoder.knownKeys`.
    var pattern: String { render { _ in "[]" } }

    private func render(index: (Int) -> String) -> String {
        var text = ""
        for component in components {
            switch component {
            case .key(let name): text += text.isEmpty ? name : ".\(name)"
            case .index(let position): text += index(position)
            }
        }
        return text
    }
}
