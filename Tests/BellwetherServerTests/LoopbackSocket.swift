import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP socket to the test server on 127.0.0.1, for tests that must speak raw HTTP/1.1
/// (a live event stream, a request left half-sent).
enum LoopbackSocket {
    /// The connected socket's descriptor, or nil when the connection was refused.
    static func connect(port: Int) -> Int32? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(socket)
            return nil
        }
        return socket
    }
}
