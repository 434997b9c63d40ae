import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Why an outbound request got no complete answer. Whatever the peer does (refuses, hangs, resets,
/// trickles, lies about HTTP) ends in one of these, so each caller can say what went wrong in its
/// own terms and decide whether retrying can help.
public enum OutboundHTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing listens there: the connection was refused at once.
    case refused(host: String)
    /// No complete answer within the request's timeout (connecting, waiting for the headers, or
    /// reading the body, however slowly bytes arrived).
    case timedOut(seconds: Double)
    /// The peer closed or reset the connection before the answer was complete.
    case reset
    /// The peer could not be reached for another reason: its name does not resolve, TLS failed,
    /// the network is unreachable.
    case unreachable(reason: String)
    /// The answer is not HTTP this client can read.
    case malformedAnswer(reason: String)
    /// The answer's body is larger than the caller accepts.
    case tooLarge(limit: Int)
    /// The address cannot be requested at all.
    case invalidURL(String)
    /// The process is shutting down: its client takes no more requests.
    case shutDown
    /// The task that made the request was cancelled.
    case cancelled

    /// The failure's kind in one word: the value of a `reason` metric dimension.
    public var reason: String {
        switch self {
        case .refused: "refused"
        case .timedOut: "timeout"
        case .reset: "reset"
        case .unreachable: "unreachable"
        case .malformedAnswer: "malformed"
        case .tooLarge: "too-large"
        case .invalidURL: "invalid-url"
        case .shutDown: "shutdown"
        case .cancelled: "cancelled"
        }
    }

    public var description: String {
        switch self {
        case .refused(let host): "connection refused by \(host): nothing is listening there"
        case .timedOut(let seconds): "no complete answer within \(Self.format(seconds)) s"
        case .reset: "the connection was closed or reset before the answer was complete"
        case .unreachable(let reason): "cannot reach it: \(reason)"
        case .malformedAnswer(let reason): "its answer is not HTTP: \(reason)"
        case .tooLarge(let limit): "its answer is larger than \(limit) bytes"
        case .invalidURL(let url): "'\(url)' is not an http(s) URL"
        case .shutDown: "the controller is shutting down"
        case .cancelled: "the request was cancelled"
        }
    }

    /// Sorts what AsyncHTTPClient and SwiftNIO throw into the cases above. `host` names the peer
    /// in `refused`; `timeout` is the request's whole timeout, which every timer reports as.
    public init(_ error: any Error, host: String, timeout: Duration) {
        let seconds = OutboundHTTP.seconds(timeout)
        switch error {
        case let error as OutboundHTTPError:
            self = error
        case let error as HTTPClientError:
            self = Self.classify(error, seconds: seconds)
        case let error as NIOConnectionError:
            if let dns = error.dnsAError ?? error.dnsAAAAError {
                self = .unreachable(reason: "cannot resolve \(error.host): \(dns)")
            } else if let first = error.connectionErrors.first {
                self = OutboundHTTPError(first.error, host: host, timeout: timeout)
            } else {
                self = .unreachable(reason: "\(error)")
            }
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED: self = .refused(host: host)
            case ECONNRESET, EPIPE, ECONNABORTED: self = .reset
            case ETIMEDOUT: self = .timedOut(seconds: seconds)
            default: self = .unreachable(reason: error.description)
            }
        case let error as ChannelError:
            switch error {
            case .connectTimeout: self = .timedOut(seconds: seconds)
            case .eof, .ioOnClosedChannel, .outputClosed, .inputClosed, .alreadyClosed: self = .reset
            default: self = .unreachable(reason: "\(error)")
            }
        case let error as HTTPParserError:
            self = .malformedAnswer(reason: "\(error)")
        case is CancellationError:
            self = .cancelled
        default:
            self = .unreachable(reason: "\(error)")
        }
    }

    private static func classify(_ error: HTTPClientError, seconds: Double) -> OutboundHTTPError {
        switch error {
        case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout:
            .timedOut(seconds: seconds)
        case .remoteConnectionClosed, .bodyLengthMismatch:
            .reset
        case .alreadyShutdown:
            .shutDown
        case .cancelled:
            .cancelled
        case .invalidURL, .emptyHost, .emptyScheme:
            .invalidURL("\(error)")
        default:
            .unreachable(reason: "\(error)")
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.3g", value)
    }
}
