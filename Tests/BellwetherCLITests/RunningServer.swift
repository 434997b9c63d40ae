import BellwetherTestSupport
import Foundation

/// `bellwether serve` on a port the system picks, read back from its `listening on` line, so
/// nothing races for a port. The database is a fresh temporary file, or a given one, so a test
/// can kill a server and start the next on what the first left behind.
final class RunningServer: Sendable {
    let url: String
    /// The `--otlp-listen` listener, when the server was started with one.
    let otlpURL: String?
    let database: String
    private let process: Process
    /// The directory this server created for its database and removes when stopped; nil when the
    /// test owns the database.
    private let ownedDirectory: URL?

    /// - Parameters:
    ///   - agentToken: the agent token; empty leaves the agent endpoints open.
    ///   - database: an existing database to serve; nil for a fresh one.
    ///   - manualClock: start the controller on a manual clock at this instant (seconds since the
    ///     Unix epoch): time then moves only by `advanceClock(by:)`.
    ///   - otlpListener: also serve OTLP on a second port the system picks (`--otlp-listen`).
    ///   - arguments: more `serve` flags, such as `--prometheus-url`.
    init(
        _ bellwether: ProductProcess, token: String, agentToken: String = "", database: String? = nil, manualClock: Double? = nil,
        otlpListener: Bool = false, arguments extra: [String] = []
    ) throws {
        if let database {
            ownedDirectory = nil
            self.database = database
        } else {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            ownedDirectory = directory
            self.database = directory.appendingPathComponent("bellwether.db").path
        }
        var arguments = ["serve", "--listen", "127.0.0.1:0", "--db", self.database]
        if let manualClock { arguments += ["--manual-clock", String(manualClock)] }
        if otlpListener { arguments += ["--otlp-listen", "127.0.0.1:0"] }
        arguments += extra
        let (process, output) = try bellwether.start(
            arguments, environment: ["BELLWETHER_ADMIN_TOKEN": token, "BELLWETHER_AGENT_TOKEN": agentToken]
        )
        self.process = process
        var lines = LineReader(output)
        var address: Substring?
        var otlpAddress: Substring?
        while address == nil || (otlpListener && otlpAddress == nil), let line = lines.next() {
            if line.hasPrefix("listening on ") { address = line.dropFirst("listening on ".count) }
            if line.hasPrefix("otlp listening on ") { otlpAddress = line.dropFirst("otlp listening on ".count) }
        }
        guard let address, otlpAddress != nil || !otlpListener else {
            process.terminate()
            throw ServerDidNotStart()
        }
        url = "http://" + address
        otlpURL = otlpAddress.map { "http://" + $0 }
        // The server logs to standard output; nobody reads it from here on, so drain it, or a full
        // pipe would block the server in the middle of a log line.
        Thread.detachNewThread { _ = output.readDataToEndOfFile() }
    }

    /// Returns once the server has loaded its fleet (`/readyz` answers 200): until then every
    /// agent and operator request is refused with 503. Loading takes milliseconds, so this asks
    /// again at once rather than sleeping, a bounded number of times.
    func waitUntilReady() async throws {
        for _ in 0..<10_000 {
            if try await request("GET", "/readyz").status == 200 { return }
        }
        throw ServerDidNotStart()
    }

    /// One HTTP request; the answer's status and body, whatever the status.
    func request(_ method: String, _ path: String, token: String? = nil, body: Data? = nil) async throws -> (status: Int, body: Data) {
        try await TestHTTP.request(method, url + path, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [], body: body)
    }

    func heartbeat(id: String, version: String) async throws {
        _ = try await request("POST", "/api/v1/agents/heartbeat", body: Data(#"{"id": "\#(id)", "version": "\#(version)", "labels": {"role": "collector"}}"#.utf8))
    }

    /// Sends SIGTERM and returns the exit status once the server has shut down.
    func terminate() throws -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationReason == .exit ? process.terminationStatus : -1
    }

    /// SIGKILL: the server gets no chance to finish a request, flush heartbeats or close the
    /// database. Returns once the process is gone.
    func kill() {
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        if let ownedDirectory { try? FileManager.default.removeItem(at: ownedDirectory) }
    }

    struct ServerDidNotStart: Error {}
}
