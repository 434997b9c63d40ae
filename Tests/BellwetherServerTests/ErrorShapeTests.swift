import Hummingbird
import HummingbirdTesting
import Testing
@testable import BellwetherServer

/// Errors reach clients in one shape, and internal ones not at all.
@Suite struct ErrorShapeTests {
    struct DatabaseOnFire: Error, CustomStringConvertible {
        var description: String { "disk I/O error at /var/lib/bellwether/secret-path.db" }
    }

    @Test func anUnexpectedErrorIsABare500ThatLeaksNothing() async throws {
        let router = Router()
        router.add(middleware: ErrorMiddleware())
        router.get("/boom") { _, _ -> String in throw DatabaseOnFire() }
        try await Application(router: router).test(.router) { client in
            let response = try await client.get("/boom", .none)
            #expect(response.status == .internalServerError)
            #expect(response.body.readableBytes == 0)
        }
    }

    @Test func everyAPIErrorHasTheCodeAndMessageShape() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let response = try await client.get("/api/v1/rollouts/missing")
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(response.text.hasPrefix(#"{"error":{"code":"unknown-rollout","message":"no rollout with id 'missing'"#), "\(response.text)")
        }
    }
}
