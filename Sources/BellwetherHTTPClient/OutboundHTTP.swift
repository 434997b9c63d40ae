import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// Every request the process makes to others (webhooks, Slack, Alertmanager, Prometheus, the
/// controller's API from the command line, the simulated fleet): one AsyncHTTPClient, so the
/// process keeps one connection pool per peer, and every request ends, answered or not, in a
/// bounded time with a typed error. A peer that refuses, hangs, resets or trickles costs one
/// failed request, never the process.
///
/// Whoever makes it shuts it down: `serve` through `OutboundHTTPService` in its service group,
/// after the services that use it; commands and tests through `with(timeouts:_:)`.
public final class OutboundHTTP: Sendable {
    /// The client-wide timers. Each request also has its own whole timeout, which bounds
    /// connecting, waiting for the headers and reading the body together.
    public struct Timeouts: Sendable, Hashable {
        /// Opening a connection. A refused connection fails at once, without waiting for this.
        public var connect: Duration
        /// The longest silence while an answer is read; nil where long silences are normal (an
        /// event stream, a query the server computes before answering): the request's whole
        /// timeout bounds it then.
        public var read: Duration?

        public init(connect: Duration, read: Duration?) {
            self.connect = connect
            self.read = read
        }
    }

    /// The answer to a request: its status and whole body.
    public struct Response: Sendable {
        public var status: Int
        public var body: Data
    }

    /// Bodies larger than this are refused unless a request accepts more.
    public static let defaultBodyLimit = 16 << 20

    public let timeouts: Timeouts
    private let client: HTTPClient
    private let stopped = Mutex(false)

    /// - Parameter connectionsPerHost: connections kept open to one peer at most; requests beyond
    ///   them wait for one (within their timeout).
    public init(timeouts: Timeouts, connectionsPerHost: Int = 8) {
        self.timeouts = timeouts
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: Self.amount(timeouts.connect), read: timeouts.read.map(Self.amount))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        // A refused connection is an answer: fail the request now rather than retry until its
        // timeout, so a receiver that is down costs nothing while its retries wait.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Runs `body` with a client made for it, shut down when `body` returns or throws.
    public static func with<Result>(
        timeouts: Timeouts, connectionsPerHost: Int = 8, isolation: isolated (any Actor)? = #isolation,
        _ body: (OutboundHTTP) async throws -> Result
    ) async throws -> Result {
        let http = OutboundHTTP(timeouts: timeouts, connectionsPerHost: connectionsPerHost)
        let result: Result
        do {
            result = try await body(http)
        } catch {
            await http.shutdown()
            throw error
        }
        await http.shutdown()
        return result
    }

    /// Closes every connection; requests under way fail with `shutDown`, later ones too. Safe to
    /// call more than once.
    public func shutdown() async {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        try? await client.shutdown()
    }

    /// `GET url`, the whole answer within `timeout`.
    public func get(
        _ url: URL, headers: [(String, String)] = [], timeout: Duration, accepting limit: Int = defaultBodyLimit
    ) async throws(OutboundHTTPError) -> Response {
        try await send(.GET, url, headers: headers, body: nil, timeout: timeout, accepting: limit)
    }

    /// `POST url` with `body`, the whole answer within `timeout`.
    public func post(
        _ url: URL, headers: [(String, String)] = [], body: Data, timeout: Duration, accepting limit: Int = defaultBodyLimit
    ) async throws(OutboundHTTPError) -> Response {
        try await send(.POST, url, headers: headers, body: body, timeout: timeout, accepting: limit)
    }

    /// `GET url` whose body is read as it arrives (server-sent events): the headers within
    /// `timeout`, then the body for as long as the peer keeps the connection open.
    public func stream(_ url: URL, headers: [(String, String)] = [], timeout: Duration) async throws(OutboundHTTPError) -> Stream {
        let request = try prepare(.GET, url, headers: headers, body: nil)
        let host = Self.host(of: url)
        do {
            let response = try await Self.within(timeout) { [client] in
                try await client.execute(request, timeout: Self.amount(timeout))
            }
            return Stream(status: Int(response.status.code), body: response.body, host: host, timeout: timeout)
        } catch {
            throw failure(error, host: host, timeout: timeout)
        }
    }

    /// A response whose body arrives in pieces; iterating it throws only `OutboundHTTPError`.
    public struct Stream: AsyncSequence, Sendable {
        public typealias Element = Data
        public let status: Int
        let body: HTTPClientResponse.Body
        let host: String
        let timeout: Duration

        public func makeAsyncIterator() -> Iterator {
            Iterator(base: body.makeAsyncIterator(), host: host, timeout: timeout)
        }

        public struct Iterator: AsyncIteratorProtocol {
            var base: HTTPClientResponse.Body.AsyncIterator
            let host: String
            let timeout: Duration

            public mutating func next() async throws -> Data? {
                do {
                    return try await base.next().map { Data(buffer: $0) }
                } catch {
                    throw OutboundHTTPError(error, host: host, timeout: timeout)
                }
            }
        }
    }

    private func send(
        _ method: HTTPMethod, _ url: URL, headers: [(String, String)], body: Data?, timeout: Duration, accepting limit: Int
    ) async throws(OutboundHTTPError) -> Response {
        let request = try prepare(method, url, headers: headers, body: body)
        let host = Self.host(of: url)
        do {
            return try await Self.within(timeout) { [client] in
                let response = try await client.execute(request, timeout: Self.amount(timeout))
                let bytes = try await response.body.collect(upTo: limit)
                return Response(status: Int(response.status.code), body: Data(buffer: bytes))
            }
        } catch is NIOTooManyBytesError {
            throw .tooLarge(limit: limit)
        } catch {
            throw failure(error, host: host, timeout: timeout)
        }
    }

    /// What to report: a request the shutdown ended says so, whatever the pool made of it.
    private func failure(_ error: any Error, host: String, timeout: Duration) -> OutboundHTTPError {
        stopped.withLock { $0 } ? .shutDown : OutboundHTTPError(error, host: host, timeout: timeout)
    }

    private func prepare(_ method: HTTPMethod, _ url: URL, headers: [(String, String)], body: Data?) throws(OutboundHTTPError) -> HTTPClientRequest {
        guard !stopped.withLock({ $0 }) else { throw .shutDown }
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw .invalidURL(url.absoluteString)
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        return request
    }

    /// `operation`, or `OutboundHTTPError.timedOut` once `timeout` has passed. AsyncHTTPClient's
    /// own deadline stops at the response's headers; this also bounds a body that trickles in.
    private static func within<Value: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Value.self) { group in
            group.addTask(operation: operation)
            group.addTask {
                try await Task.sleep(for: timeout)
                throw OutboundHTTPError.timedOut(seconds: seconds(timeout))
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    private static func host(of url: URL) -> String {
        let host = url.host ?? url.absoluteString
        return url.port.map { "\(host):\($0)" } ?? host
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func amount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(Int64(seconds(duration) * 1e9))
    }
}
