import ArgumentParser

/// `bellwether-bench`: measurements of Bellwether's decision engine, kept apart from the product's
/// command-line tool because they take minutes and exist to be read, not used.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bellwether-bench",
        abstract: "Benchmarks of Bellwether's decision engine and its OTLP receiver.",
        subcommands: [DecisionsCommand.self, OTLPCommand.self, OTLPHTTPCommand.self, HostileCommand.self]
    )
}
