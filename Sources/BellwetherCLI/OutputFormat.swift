import ArgumentParser

/// `--output`: a readable form for people, JSON for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table
    case json
}
