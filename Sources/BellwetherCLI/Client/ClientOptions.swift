import ArgumentParser
import Foundation

/// What every command that talks to a running controller shares: where it is, and how to print.
struct ClientOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The controller's URL (default $BELLWETHER_SERVER, else http://127.0.0.1:7070).", valueName: "url"))
    var server: String?

    @Option(help: "Output format: table or json.")
    var output: OutputFormat = .table

    /// The client, with `BELLWETHER_ADMIN_TOKEN` as its bearer token.
    func client() throws -> BellwetherClient {
        let environment = ProcessInfo.processInfo.environment
        let text = server ?? environment["BELLWETHER_SERVER"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:7070"
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw CommandFailure.badInput("--server '\(text)' is not an http(s) URL; write one such as http://127.0.0.1:7070")
        }
        let token = environment["BELLWETHER_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return BellwetherClient(server: url, token: token)
    }
}
