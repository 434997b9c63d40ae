import BellwetherHTTPClient

extension ServerConfiguration {
    /// The controller's client-wide timers. Connecting may take as long as a notification attempt
    /// may in all; reads have no idle timer of their own, since Prometheus computes a query in
    /// silence for up to its `prometheusTimeout`: each request's whole timeout (the notification
    /// timeout, `prometheusTimeout`) bounds it instead.
    public var outboundTimeouts: OutboundHTTP.Timeouts {
        OutboundHTTP.Timeouts(connect: notifications.timeout, read: nil)
    }

    /// Connections to one peer at most: a pass's deliveries to one receiver all go at once.
    public var outboundConnectionsPerHost: Int {
        max(8, notifications.batchSize)
    }
}
