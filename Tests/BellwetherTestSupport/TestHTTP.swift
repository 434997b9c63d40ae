import BellwetherHTTPClient
import Foundation

/// What tests ask of the servers they start (probes, API calls, Prometheus and Alertmanager
/// queries): the test process's one `OutboundHTTP`, which lives as long as the process, so no
/// test shuts it down under another. Each request has its own whole timeout.
public enum TestHTTP {
    public static let client = OutboundHTTP(timeouts: .init(connect: .seconds(10), read: nil), connectionsPerHost: 32)

    /// One request; its status and body whatever the status. Throws `OutboundHTTPError` when no
    /// complete answer came.
    public static func request(
        _ method: String, _ url: String, headers: [(String, String)] = [], body: Data? = nil, timeout: Duration = .seconds(60)
    ) async throws -> (status: Int, body: Data) {
        guard let address = URL(string: url) else { throw OutboundHTTPError.invalidURL(url) }
        let response: OutboundHTTP.Response
        switch method {
        case "GET": response = try await client.get(address, headers: headers, timeout: timeout)
        case "POST": response = try await client.post(address, headers: headers, body: body ?? Data(), timeout: timeout)
        default: preconditionFailure("TestHTTP sends GET and POST, not \(method)")
        }
        return (response.status, response.body)
    }
}
