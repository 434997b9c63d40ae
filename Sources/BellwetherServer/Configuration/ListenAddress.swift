/// Where a listener binds: `HOST:PORT`, with IPv6 hosts in brackets (`[::1]:7070`).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    /// 0 lets the system pick a free port; `bellwether serve` prints the one it got.
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `text` as given to `option`, which only labels the error.
    public init(parsing text: String, option: String) throws(ConfigurationError) {
        let hint = "write HOST:PORT, such as 127.0.0.1:7070, 0.0.0.0:7070 or [::1]:7070"
        guard let colon = text.lastIndex(of: ":") else {
            throw ConfigurationError("\(option) '\(text)' has no port: \(hint)")
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw ConfigurationError("\(option) '\(text)': put an IPv6 host in brackets: \(hint)")
        }
        guard !host.isEmpty else { throw ConfigurationError("\(option) '\(text)' has no host: \(hint)") }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ConfigurationError("\(option) '\(text)': the port must be a number from 0 to 65535; \(hint)")
        }
        self.init(host: host, port: port)
    }

    /// Reachable only from this machine. Anything else (including `0.0.0.0`) is reachable from the
    /// network, which is why the server then insists on an admin token.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
