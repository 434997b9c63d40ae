import ArgumentParser
import BellwetherAPI
import BellwetherCore
import Foundation
import Synchronization

/// `bellwether rollout watch [ID]`: the rollout live until it ends.
struct RolloutWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow a rollout live until it completes, halts, rolls back or is aborted.",
        discussion: """
            Shows the step and the time left in its bake, the cohorts (agents assigned, converged, \
            silent), each check's canary against baseline with bounds, its verdict and what it still \
            needs, and the decision with its reason. Refreshes on every audit event (server-sent \
            events) and every --interval seconds. Colour on a terminal; plain lines, a new block each \
            time something changes, when piped; --output json writes one JSON object per line.
            Exits 0 when the rollout completed, 1 when it was rolled back, aborted or halted.
            """
    )

    @Argument(help: "The rollout id (default: the most recently started active rollout).")
    var id: String?

    @Option(help: "Seconds between polls of the rollout's health, besides refreshing on every event.")
    var interval: Double = 2

    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard interval.isFinite, interval >= 0.1, interval <= 3600 else {
            throw ValidationError("--interval must be between 0.1 and 3600 seconds")
        }
    }

    func run() async throws {
        try await options.withClient { client in try await watch(client) }
    }

    private func watch(_ client: BellwetherClient) async throws {
        let id: String
        if let given = self.id { id = given } else { id = try await Self.latestActiveRolloutID(client) }
        let output = WatchOutput(format: options.output, terminal: isatty(STDOUT_FILENO) == 1)
        let stream = EventStreamWakeups(client: client, rolloutID: id)
        defer { stream.stop() }
        let triggers = AsyncStream<Void>.makeStream()
        let interval = self.interval
        let relay = Task {
            for await event in stream.events {
                output.event(event)
                triggers.continuation.yield()
            }
        }
        let ticker = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(interval))
                triggers.continuation.yield()
            }
        }
        defer { relay.cancel(); ticker.cancel() }
        var wakeups = triggers.stream.makeAsyncIterator()
        while true {
            let state = try await Self.read(client, id: id)
            output.show(state)
            if state.isFinished { throw ExitCode(state.exitStatus) }
            _ = await wakeups.next()
        }
    }

    /// Health first, then the rest: the controller records a step's decision before the
    /// transition it causes, so whatever state health shows, its decision is already readable.
    static func read(_ client: BellwetherClient, id: String) async throws -> WatchState {
        let health: RolloutHealthView = try await client.get("api/v1/rollouts/\(id)/health")
        let evaluations: [RolloutEvaluation] = try await client.get("api/v1/rollouts/\(id)/evaluations")
        let events: [AuditEventView] = try await client.get("api/v1/rollouts/\(id)/events")
        return WatchState(health: health, evaluations: evaluations, events: events)
    }

    /// The most recently started rollout that is still active.
    static func latestActiveRolloutID(_ client: BellwetherClient) async throws -> String {
        let rollouts: [RolloutView] = try await client.get("api/v1/rollouts")
        guard let latest = rollouts.filter(\.active).max(by: { $0.createdAt < $1.createdAt }) else {
            throw CommandFailure.failed("no rollout is active; `bellwether rollout list` shows past ones, name one to watch it")
        }
        return latest.id
    }
}

/// Where the watch's frames go: redrawn in place on a terminal, appended as blocks when piped
/// (only when they change), or as JSON lines.
final class WatchOutput: Sendable {
    let format: OutputFormat
    let terminal: Bool
    private let last = Mutex<[String]?>(nil)

    init(format: OutputFormat, terminal: Bool) {
        self.format = format
        self.terminal = terminal
    }

    func show(_ state: WatchState) {
        switch format {
        case .json:
            if let line = try? Self.jsonLine(["state": state]) { Printer.line(line) }
        case .table:
            let lines = WatchView(colour: terminal).lines(state)
            let changed = last.withLock { previous in
                defer { previous = lines }
                return previous != lines
            }
            guard changed else { return }
            if terminal {
                Printer.line("\u{1B}[H\u{1B}[2J" + lines.joined(separator: "\n"))
            } else {
                Printer.line(lines.joined(separator: "\n") + "\n")
            }
        }
    }

    /// Each audit event as it arrives, in JSON mode; the other modes show it in the next frame.
    func event(_ event: AuditEventView) {
        guard format == .json, let line = try? Self.jsonLine(["event": event]) else { return }
        Printer.line(line)
    }

    private static func jsonLine(_ value: some Encodable) throws -> String {
        String(decoding: try APICoding.encoder().encode(value), as: UTF8.self)
    }
}
