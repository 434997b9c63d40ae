import Synchronization

/// Load shedding for the receiver: at most `maxRequests` exports and `maxBytes` of their bodies
/// in flight at once. A request past either budget is refused at once with 429 and `Retry-After`
/// (`OTLPRequestError.overloaded`), which OTLP exporters retry with backoff, rather than queued:
/// a controller that queues what it cannot keep up with runs out of memory, then answers nobody.
///
/// A request is admitted by its declared length before its body is read, and once more by its
/// real size when it had none (chunked): a body alone larger than the whole byte budget is still
/// admitted when nothing else is in flight, so it meets the body limit (413), not an endless 429.
public final class OTLPAdmission: Sendable {
    public struct Budget: Sendable, Hashable {
        public var maxRequests: Int
        public var maxBytes: Int
        public var retryAfterSeconds: Int

        public init(maxRequests: Int = 64, maxBytes: Int = 256 << 20, retryAfterSeconds: Int = 1) {
            self.maxRequests = maxRequests
            self.maxBytes = maxBytes
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    /// What one admitted request holds until it is released.
    public struct Ticket: Sendable {
        fileprivate var bytes: Int
    }

    private struct InFlight {
        var requests = 0
        var bytes = 0
    }

    public let budget: Budget
    private let inFlight = Mutex(InFlight())

    public init(budget: Budget = Budget()) {
        self.budget = budget
    }

    /// Admits a request of `bytes` (0 when unknown yet), or refuses it.
    public func admit(bytes: Int) throws(OTLPRequestError) -> Ticket {
        let admitted = inFlight.withLock { state in
            guard state.requests < budget.maxRequests, state.requests == 0 || state.bytes + bytes <= budget.maxBytes else { return false }
            state.requests += 1
            state.bytes += bytes
            return true
        }
        guard admitted else { throw .overloaded(retryAfterSeconds: budget.retryAfterSeconds) }
        return Ticket(bytes: bytes)
    }

    /// Counts what an admitted request turned out to hold beyond what it declared; refuses it
    /// (releasing the extra) when that breaks the byte budget.
    public func grow(_ ticket: inout Ticket, to bytes: Int) throws(OTLPRequestError) {
        guard bytes > ticket.bytes else { return }
        let extra = bytes - ticket.bytes
        let admitted = inFlight.withLock { state in
            guard state.requests == 1 || state.bytes + extra <= budget.maxBytes else { return false }
            state.bytes += extra
            return true
        }
        guard admitted else { throw .overloaded(retryAfterSeconds: budget.retryAfterSeconds) }
        ticket.bytes = bytes
    }

    public func release(_ ticket: Ticket) {
        inFlight.withLock { state in
            state.requests -= 1
            state.bytes -= ticket.bytes
        }
    }

    /// Requests and bytes in flight now.
    public var load: (requests: Int, bytes: Int) {
        inFlight.withLock { ($0.requests, $0.bytes) }
    }
}
