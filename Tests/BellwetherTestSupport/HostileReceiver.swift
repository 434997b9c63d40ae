import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An HTTP peer that misbehaves on purpose, on a real loopback socket (SwiftNIO), for tests of
/// what outbound requests do when the other side is down or hostile. It reads each request in
/// full, counts it, and then does what its behaviour says instead of answering properly.
public final class HostileReceiver: Sendable {
    public enum Behaviour: Sendable, CustomStringConvertible {
        /// A port bound but never listened on: every connection is refused.
        case refuse
        /// Accepts, reads the request, never answers, keeps the connection open.
        case hang
        /// Sends the headers and part of the body, then resets the connection (RST).
        case reset
        /// Sends the headers at once, then the body (1,000 bytes, a size any caller accepts) one
        /// byte every `every`, for longer than any test waits: bytes keep coming, so only a
        /// whole-request timeout ends it.
        case trickle(every: Duration)

        public var description: String {
            switch self {
            case .refuse: "refuse"
            case .hang: "hang"
            case .reset: "reset"
            case .trickle: "trickle"
            }
        }
    }

    public let behaviour: Behaviour
    public let port: Int
    /// The running count of requests read in full, as each arrives: a test awaits a number
    /// rather than sleeping. One reader.
    public let arrivals: AsyncStream<Int>
    private let connections: Connections
    private let server: (any Channel)?
    private let refusing: Int32?

    public var url: String { "http://127.0.0.1:\(port)" }
    /// Requests read in full so far.
    public var requests: Int { connections.received.load(ordering: .relaxed) }

    private init(behaviour: Behaviour, port: Int, arrivals: AsyncStream<Int>, connections: Connections, server: (any Channel)?, refusing: Int32?) {
        self.behaviour = behaviour
        self.port = port
        self.arrivals = arrivals
        self.connections = connections
        self.server = server
        self.refusing = refusing
    }

    /// Binds a loopback port and returns once it is ready to misbehave.
    public static func start(_ behaviour: Behaviour) async throws -> HostileReceiver {
        let (arrivals, announce) = AsyncStream.makeStream(of: Int.self)
        let connections = Connections(behaviour: behaviour, announce: announce)
        if case .refuse = behaviour {
            let (socket, port) = try FreePort.hold()
            return HostileReceiver(behaviour: behaviour, port: port, arrivals: arrivals, connections: connections, server: nil, refusing: socket)
        }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    connections.track(channel)
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
                    try channel.pipeline.syncOperations.addHandler(Misbehaviour(connections: connections))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return HostileReceiver(
            behaviour: behaviour, port: channel.localAddress?.port ?? 0, arrivals: arrivals, connections: connections, server: channel, refusing: nil
        )
    }

    /// Returns once at least `count` requests have been read in full.
    public func waitForRequests(_ count: Int) async {
        guard requests < count else { return }
        for await seen in arrivals where seen >= count { return }
    }

    /// Closes the listener and every connection it accepted.
    public func stop() async {
        connections.announce.finish()
        if let refusing { close(refusing) }
        try? await server?.close()
        for channel in connections.all() { try? await channel.close() }
    }
}

/// The accepted connections, and what is done to each request on them.
private final class Connections: Sendable {
    let behaviour: HostileReceiver.Behaviour
    let announce: AsyncStream<Int>.Continuation
    let received = Atomic<Int>(0)
    private let open = Mutex<[ObjectIdentifier: any Channel]>([:])

    init(behaviour: HostileReceiver.Behaviour, announce: AsyncStream<Int>.Continuation) {
        self.behaviour = behaviour
        self.announce = announce
    }

    func all() -> [any Channel] {
        open.withLock { Array($0.values) }
    }

    func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        open.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.open.withLock { $0.removeValue(forKey: id) }
        }
    }

    /// Acts on each request once it has been read in full.
    func misbehave(on channel: any Channel) {
        announce.yield(received.add(1, ordering: .relaxed).newValue)
        switch behaviour {
        case .refuse, .hang:
            return
        case .reset:
            let partial = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"partial\": "
            channel.writeAndFlush(ByteBuffer(string: partial)).whenComplete { _ in
                guard let provider = channel as? any SocketOptionProvider else { return channel.close(promise: nil) }
                // Lingering zero seconds makes close() send RST instead of FIN.
                provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
            }
        case .trickle(let every):
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
            channel.writeAndFlush(ByteBuffer(string: head), promise: nil)
            let interval = TimeAmount.nanoseconds(Int64(every.components.seconds) * 1_000_000_000 + every.components.attoseconds / 1_000_000_000)
            let task = channel.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { task in
                guard channel.isActive else { return task.cancel() }
                channel.writeAndFlush(ByteBuffer(string: " "), promise: nil)
            }
            channel.closeFuture.whenComplete { _ in task.cancel() }
        }
    }
}

/// The pipeline's end: hands each complete request to the receiver.
private final class Misbehaviour: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart

    let connections: Connections

    init(connections: Connections) {
        self.connections = connections
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        connections.misbehave(on: context.channel)
    }
}
