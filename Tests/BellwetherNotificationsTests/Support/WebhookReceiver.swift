import BellwetherTestSupport
import Foundation
import Testing

/// `Tests/Fixtures/webhook_receiver.py` as a child process: a real HTTP listener that checks each
/// request's signature with Python's own hmac module and reports it as a JSON line.
final class WebhookReceiver: @unchecked Sendable {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/webhook_receiver.py").path

    /// One request as the receiver saw it.
    struct Request {
        var path: String
        var headers: [String: String]
        var body: Any
        /// "valid", "invalid" or "absent".
        var signature: String
        var status: Int

        var json: [String: Any] { body as? [String: Any] ?? [:] }
    }

    let process = Process()
    private var reader: LineReader
    private(set) var port = 0

    /// Starts the receiver and returns once it listens.
    init(arguments: [String] = []) async throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        reader = LineReader(output.fileHandleForReading)
        let first = reader.next()
        guard let line = first, line.hasPrefix("listening "), let port = Int(line.dropFirst("listening ".count)) else {
            process.terminate()
            throw ReceiverFailed()
        }
        self.port = port
    }

    func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    /// The first `count` requests the receiver saw, then stops it and waits for it to exit. The
    /// receiver reports a request before answering it, so whatever was delivered before this call
    /// is already written. Reads a known number of lines rather than up to the end: a child started
    /// concurrently by another test may hold a copy of the pipe, so its end is no signal.
    func stop(expecting count: Int) async throws -> [Request] {
        // A safety net, not synchronisation: a receiver still running after 60 s is killed, so a
        // missing request or an ignored SIGTERM fails the test instead of hanging it.
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { [process] in
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        var lines: [String] = []
        while lines.count < count, let line = reader.next() { lines.append(line) }
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM,
                "the receiver must exit on SIGTERM, or it outlives the tests (status \(process.terminationStatus))")
        return try lines.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            return Request(
                path: object["path"] as? String ?? "", headers: object["headers"] as? [String: String] ?? [:],
                body: object["body"] ?? [:], signature: object["signature"] as? String ?? "", status: object["status"] as? Int ?? 0
            )
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    struct ReceiverFailed: Error, CustomStringConvertible {
        var description: String { "webhook_receiver.py did not start (is python3 installed?)" }
    }
}
