import Foundation

/// One HTTP/1.1 keep-alive connection on a blocking socket, sending requests serialised once
/// before measuring and reading just enough of each answer to know its status and where it ends.
///
/// The load generator must cost far less CPU than the server it loads, or on a 2-core machine it
/// measures itself: Foundation's HTTP client spent about a core to feed one core of server. This spends a
/// `write` and a `read` or two a request, and copies nothing.
final class RawHTTPConnection {
    enum Failure: Error, CustomStringConvertible {
        case address(String)
        case connect(String, Int32)
        case closed
        case io(Int32)
        case malformedResponse(String)

        var description: String {
            switch self {
            case .address(let endpoint): "cannot resolve \(endpoint)"
            case .connect(let endpoint, let code): "cannot connect to \(endpoint): \(String(cString: strerror(code)))"
            case .closed: "the server closed the connection"
            case .io(let code): "socket error: \(String(cString: strerror(code)))"
            case .malformedResponse(let reason): "malformed HTTP response: \(reason)"
            }
        }
    }

    /// A request's bytes on the wire: request line, headers and body.
    static func request(method: String = "POST", path: String, host: String, headers: [(String, String)], body: [UInt8]) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        return Array(head.utf8) + body
    }

    private let endpoint: String
    private var socket: Int32 = -1
    private var buffer = [UInt8](repeating: 0, count: 64 << 10)
    /// Bytes of `buffer` received and not yet consumed: `buffer[start..<end]`.
    private var start = 0
    private var end = 0

    /// `host:port`, such as `127.0.0.1:4318`.
    init(endpoint: String) throws(Failure) {
        self.endpoint = endpoint
        try connect()
    }

    deinit {
        if socket >= 0 { close(socket) }
    }

    /// Sends one request (from `request(...)`) and returns the answer's status code. Reconnects
    /// when the server closed the connection between requests (an idle timeout, a
    /// `Connection: close`).
    func send(_ request: [UInt8]) throws(Failure) -> Int {
        if socket < 0 { try connect() }
        try write(request)
        return try readResponse()
    }

    private func connect() throws(Failure) {
        guard let colon = endpoint.lastIndex(of: ":") else { throw .address(endpoint) }
        let host = String(endpoint[..<colon]), port = String(endpoint[endpoint.index(after: colon)...])
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, port, &hints, &list) == 0, let info = list else { throw .address(endpoint) }
        defer { freeaddrinfo(list) }
        let fd = Foundation.socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw .connect(endpoint, errno) }
        guard Foundation.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            close(fd)
            throw .connect(endpoint, code)
        }
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        socket = fd
        start = 0
        end = 0
    }

    /// Sends `request`, which should ask for `Connection: close`, and returns everything the
    /// server sent until it closed the connection, head and body, as text.
    func fetch(_ request: [UInt8]) throws(Failure) -> String {
        try write(request)
        while true {
            do {
                try fill()
            } catch .closed {
                break
            }
        }
        return String(decoding: buffer[start..<end], as: UTF8.self)
    }

    /// Writes bytes without waiting for an answer: a request sent in pieces.
    func write(_ bytes: [UInt8]) throws(Failure) {
        var sent = 0
        while sent < bytes.count {
            let result = bytes.withUnsafeBytes { Foundation.send(socket, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else {
                if result < 0, errno == EINTR { continue }
                let code = errno
                drop()
                throw .io(code)
            }
            sent += result
        }
    }

    /// Reads more bytes into the buffer (moving what is left to its front first, and growing it
    /// when full).
    private func fill() throws(Failure) {
        if start > 0 {
            buffer.withUnsafeMutableBytes { raw in
                if end > start { memmove(raw.baseAddress!, raw.baseAddress! + start, end - start) }
            }
            end -= start
            start = 0
        }
        if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress! + end, $0.count - end, 0) }
        if count == 0 {
            drop()
            throw .closed
        }
        if count < 0 {
            if errno == EINTR { return }
            let code = errno
            drop()
            throw .io(code)
        }
        end += count
    }

    private func drop() {
        if socket >= 0 { close(socket) }
        socket = -1
    }

    /// The status of the next response, its body skipped (by `Content-Length` or chunks).
    private func readResponse() throws(Failure) -> Int {
        var headEnd: Int
        while true {
            if let found = find([13, 10, 13, 10], from: start) {
                headEnd = found
                break
            }
            try fill()
        }
        let head = String(decoding: buffer[start..<headEnd], as: UTF8.self)
        start = headEnd + 4
        let lines = head.split(separator: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw .malformedResponse("status line \(lines.first.map(String.init) ?? "")")
        }
        var length = 0, chunked = false, closing = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces).lowercased()
            switch name {
            case "content-length": length = Int(value) ?? 0
            case "transfer-encoding": chunked = value.contains("chunked")
            case "connection": closing = value.contains("close")
            default: break
            }
        }
        if chunked {
            try skipChunks()
        } else {
            try skip(length)
        }
        if closing { drop() }
        return status
    }

    private func skip(_ count: Int) throws(Failure) {
        while end - start < count { try fill() }
        start += count
    }

    private func skipChunks() throws(Failure) {
        while true {
            var lineEnd: Int
            while true {
                if let found = find([13, 10], from: start) {
                    lineEnd = found
                    break
                }
                try fill()
            }
            let sizeText = String(decoding: buffer[start..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw .malformedResponse("chunk size \(sizeText)")
            }
            start = lineEnd + 2
            if size == 0 {
                // No trailers are sent to a client that did not ask for them: the final CRLF.
                try skip(2)
                return
            }
            try skip(size + 2)
        }
    }

    private func find(_ pattern: [UInt8], from: Int) -> Int? {
        guard end - from >= pattern.count else { return nil }
        for index in from...(end - pattern.count) where buffer[index] == pattern[0] {
            if buffer[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
        }
        return nil
    }
}
