import ServiceLifecycle

/// Shuts the process's `OutboundHTTP` down when its service group stops. Put it before the
/// services that send requests: a group stops its services in reverse order, so the client
/// closes only after the last notification and query have ended.
public struct OutboundHTTPService: Service {
    let http: OutboundHTTP

    public init(http: OutboundHTTP) {
        self.http = http
    }

    public func run() async throws {
        // Cancelled or shut down gracefully, the client closes either way.
        try? await gracefulShutdown()
        await http.shutdown()
    }
}
