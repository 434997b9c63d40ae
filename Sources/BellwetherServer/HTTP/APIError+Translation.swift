import BellwetherCore
import BellwetherStore
import Hummingbird
import NIOCore

extension APIError {
    /// The API's answer to an error raised while handling a request, or nil for one that must not
    /// reach the client (a bug or an I/O failure): that becomes a bare 500 and a log line, so no
    /// internal detail leaks.
    init?(translating error: any Error, request: Request) {
        switch error {
        case let error as APIError:
            self = error
        case let error as StoreError:
            guard let translated = APIError(store: error) else { return nil }
            self = translated
        case let error as IllegalTransition:
            self = .conflict(error.description, code: "illegal-transition")
        case is NIOTooManyBytesError:
            self = APIError(.contentTooLarge, code: "too-large", "the request body is too large; send it in smaller batches")
        case let error as HTTPError:
            self = APIError(httpError: error, request: request)
        default:
            return nil
        }
    }

    private init?(store error: StoreError) {
        switch error {
        case .unknownRollout:
            self = .notFound(error.description, code: "unknown-rollout")
        case .conflictingRollout:
            self = .conflict(error.description, code: "conflicting-rollout")
        case .duplicateRollout:
            self = .conflict(error.description, code: "duplicate-rollout")
        case .staleTransition:
            self = .conflict("\(error.description); look at the rollout again and retry", code: "stale-transition")
        case .unknownAgents:
            self = .notFound(error.description, code: "unknown-agents")
        case .corruptRow:
            return nil
        }
    }

    /// Hummingbird's own errors (an unknown path, a body it could not read), in our shape.
    private init(httpError: HTTPError, request: Request) {
        switch httpError.status {
        case .notFound:
            self = .notFound("no endpoint \(request.method) \(request.uri.path); the API is under /api/v1")
        default:
            let message = httpError.body ?? httpError.status.reasonPhrase
            let code = httpError.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "-")
            self = APIError(httpError.status, code: code, message)
        }
    }
}
