import BellwetherAPI
import BellwetherTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare HTTP/1.1 client for a server-sent event stream: it sends one GET and hands back each
/// `data:` payload as it arrives, so a test can act after the N-th event instead of sleeping.
/// Reading blocks, so it runs on a thread of its own and never starves the server's tasks.
final class EventStreamReader: Sendable {
    let events: AsyncStream<AuditEventView>
    private let socket: Int32

    /// `cookie` instead of a token reads the stream as a signed-in dashboard page does.
    init(port: Int, path: String, token: String?, cookie: String? = nil, lastEventID: Int64? = nil) throws {
        guard let socket = LoopbackSocket.connect(port: port) else { throw POSIXError(.ECONNREFUSED) }
        self.socket = socket
        let resume = lastEventID.map { "Last-Event-ID: \($0)\r\n" } ?? ""
        let credential = (token.map { "Authorization: Bearer \($0)\r\n" } ?? "") + (cookie.map { "Cookie: \($0)\r\n" } ?? "")
        let request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nConnection: close\r\n\(credential)\(resume)\r\n"
        let handle = FileHandle(fileDescriptor: socket, closeOnDealloc: false)
        handle.write(Data(request.utf8))
        let (events, continuation) = AsyncStream.makeStream(of: AuditEventView.self)
        self.events = events
        Thread.detachNewThread {
            var lines = LineReader(handle)
            while let line = lines.next() {
                guard line.hasPrefix("data: ") else { continue }
                if let event = try? APICoding.decoder().decode(AuditEventView.self, from: Data(line.dropFirst(6).utf8)) {
                    continuation.yield(event)
                }
            }
            continuation.finish()
        }
    }

    /// Hangs up, as a browser tab closing would.
    func close() {
        shutdown(socket, Int32(SHUT_RDWR))
        Glibc.close(socket)
    }
}
