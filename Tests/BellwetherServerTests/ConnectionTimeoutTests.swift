import BellwetherServer
import Foundation
import HummingbirdTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Connections that hold a slot without finishing a request are closed by the server.
@Suite struct ConnectionTimeoutTests {
    @Test(arguments: [
        "POST /api/v1/agents/heartbeat HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(ServerHarness.agentToken)\r\nContent-Length: 40\r\n\r\n{\"id\": ",
        "POST /api/v1/agents/heartbeat HTTP/1.1\r\nHost: localhost\r\nX-Slow: ",
    ])
    func aRequestLeftHalfSentIsClosedByTheServer(partial: String) async throws {
        let server = try await ServerHarness { $0.connectionIdleTimeout = .milliseconds(300) }
        try await server.application().test(.live) { client in
            let port = try #require(client.port)
            let read = await Self.sendAndRead(port: port, partial, giveUpAfterSeconds: 60)
            #expect(read == 0, "the server hung up (0 bytes, end of stream) rather than waiting for the rest: \(read)")
        }
    }

    /// Sends `text` and blocks, on a thread of its own, until the server answers or hangs up: the
    /// number of bytes read (0 when the server closed the connection; -1 when `giveUpAfterSeconds`
    /// passed with neither, the failure this test exists to catch).
    static func sendAndRead(port: Int, _ text: String, giveUpAfterSeconds: Int) async -> Int {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                guard let socket = LoopbackSocket.connect(port: port) else { return continuation.resume(returning: -2) }
                defer { Glibc.close(socket) }
                var deadline = timeval(tv_sec: giveUpAfterSeconds, tv_usec: 0)
                setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &deadline, socklen_t(MemoryLayout<timeval>.size))
                _ = Array(text.utf8).withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let read = recv(socket, &buffer, buffer.count, 0)
                continuation.resume(returning: read)
            }
        }
    }
}
