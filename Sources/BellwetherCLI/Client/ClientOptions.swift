import ArgumentParser
import BellwetherHTTPClient
import Foundation

/// What every command that talks to a running controller shares: where it is, and how to print.
struct ClientOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The controller's URL (default $BELLWETHER_SERVER, else http://127.0.0.1:7070).", valueName: "url"))
    var server: String?

    @Option(help: "Output format: table or json.")
    var output: OutputFormat = .table

    /// Runs `body` with the client, whose bearer token is `BELLWETHER_ADMIN_TOKEN`; the
    /// command's one HTTP client is shut down when `body` ends, however it ends.
    func withClient<Result>(_ body: (BellwetherClient) async throws -> Result) async throws -> Result {
        let environment = ProcessInfo.processInfo.environment
        let text = server ?? environment["BELLWETHER_SERVER"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:7070"
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw CommandFailure.badInput("--server '\(text)' is not an http(s) URL; write one such as http://127.0.0.1:7070")
        }
        let token = environment["BELLWETHER_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return try await OutboundHTTP.with(timeouts: BellwetherClient.timeouts) { http in
            try await body(BellwetherClient(server: url, token: token, http: http))
        }
    }
}
