import Foundation

/// A loopback port nobody listens on right now, for a real server a test starts (Prometheus,
/// Alertmanager) or deliberately leaves unstarted: bound to port 0 and released.
public enum FreePort {
    public static func pick() throws -> Int {
        let (socket, port) = try hold()
        close(socket)
        return port
    }

    /// A loopback port bound and kept, never listened on: connecting to it is refused for as long
    /// as the socket stays open, and nobody else can take the port meanwhile. Close the socket
    /// when done.
    public static func hold() throws -> (socket: Int32, port: Int) {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Unavailable() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else {
            close(socket)
            throw Unavailable()
        }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String { "could not bind a loopback port" }
    }
}
