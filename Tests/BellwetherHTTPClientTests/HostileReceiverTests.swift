import BellwetherHTTPClient
import BellwetherTestSupport
import Foundation
import Testing

/// Outbound requests against peers that refuse, hang, reset or trickle, on real loopback sockets,
/// many at once: each ends in its typed error, and the process (this test process) survives, as
/// it also survives shutting the client down, or cancelling, with requests in flight.
@Suite struct HostileReceiverTests {
    static let concurrent = 50

    /// `concurrent` POSTs to `receiver` at once, each with `timeout`; what each ended in.
    static func flood(_ http: OutboundHTTP, _ receiver: HostileReceiver, timeout: Duration) async -> [Result<Int, OutboundHTTPError>] {
        let url = URL(string: receiver.url + "/hook")!
        return await withTaskGroup(of: Result<Int, OutboundHTTPError>.self) { group in
            for index in 0..<concurrent {
                group.addTask {
                    do throws(OutboundHTTPError) {
                        return .success(try await http.post(url, body: Data("{\"n\": \(index)}".utf8), timeout: timeout).status)
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    static func failures(_ results: [Result<Int, OutboundHTTPError>]) -> [OutboundHTTPError?] {
        results.map { result in
            guard case .failure(let error) = result else { return nil }
            return error
        }
    }

    @Test func aPortNobodyListensOnRefusesEveryRequestAtOnce() async throws {
        let receiver = try await HostileReceiver.start(.refuse)
        try await OutboundHTTP.with(timeouts: .init(connect: .seconds(10), read: nil)) { http in
            // Far longer than a refusal takes: a refused connection is not retried until the timeout.
            let results = await Self.flood(http, receiver, timeout: .seconds(120))
            #expect(Self.failures(results) == Array(repeating: .refused(host: "127.0.0.1:\(receiver.port)"), count: Self.concurrent))
        }
        await receiver.stop()
    }

    @Test func aReceiverThatNeverAnswersTimesOutEveryRequest() async throws {
        let receiver = try await HostileReceiver.start(.hang)
        try await OutboundHTTP.with(timeouts: .init(connect: .seconds(10), read: nil)) { http in
            let results = await Self.flood(http, receiver, timeout: .milliseconds(500))
            #expect(Self.failures(results) == Array(repeating: .timedOut(seconds: 0.5), count: Self.concurrent))
        }
        #expect(receiver.requests >= 1, "the requests reached it and it held them")
        await receiver.stop()
    }

    @Test func aReceiverThatResetsMidAnswerEndsEveryRequestAsReset() async throws {
        let receiver = try await HostileReceiver.start(.reset)
        try await OutboundHTTP.with(timeouts: .init(connect: .seconds(10), read: nil)) { http in
            let results = await Self.flood(http, receiver, timeout: .seconds(120))
            #expect(Self.failures(results) == Array(repeating: .reset, count: Self.concurrent))
        }
        #expect(receiver.requests == Self.concurrent, "every request was read in full before its answer was cut")
        await receiver.stop()
    }

    /// A byte every 20 ms never lets an idle timer fire; only the request's whole timeout ends it.
    @Test func aReceiverThatAnswersByteByByteTimesOutOnTheWholeTimeout() async throws {
        let receiver = try await HostileReceiver.start(.trickle(every: .milliseconds(20)))
        try await OutboundHTTP.with(timeouts: .init(connect: .seconds(10), read: .seconds(5))) { http in
            let results = await Self.flood(http, receiver, timeout: .milliseconds(800))
            #expect(Self.failures(results) == Array(repeating: .timedOut(seconds: 0.8), count: Self.concurrent))
        }
        #expect(receiver.requests >= 1)
        await receiver.stop()
    }

    @Test func shuttingDownWithRequestsInFlightEndsThemAsShutDown() async throws {
        let receiver = try await HostileReceiver.start(.hang)
        let http = OutboundHTTP(timeouts: .init(connect: .seconds(10), read: nil))
        let flood = Task { await Self.flood(http, receiver, timeout: .seconds(120)) }
        // Eight connections to one peer: eight requests held, the rest queued behind them.
        await receiver.waitForRequests(8)
        await http.shutdown()
        let results = await flood.value
        #expect(Self.failures(results) == Array(repeating: .shutDown, count: Self.concurrent))
        do throws(OutboundHTTPError) {
            _ = try await http.get(URL(string: receiver.url)!, timeout: .seconds(1))
            Issue.record("a shut-down client sent a request")
        } catch {
            #expect(error == .shutDown)
        }
        await receiver.stop()
    }

    @Test func cancellingRequestsInFlightEndsThemAsCancelled() async throws {
        let receiver = try await HostileReceiver.start(.hang)
        try await OutboundHTTP.with(timeouts: .init(connect: .seconds(10), read: nil)) { http in
            let flood = Task { await Self.flood(http, receiver, timeout: .seconds(120)) }
            await receiver.waitForRequests(8)
            flood.cancel()
            let results = await flood.value
            #expect(Self.failures(results) == Array(repeating: .cancelled, count: Self.concurrent))
        }
        await receiver.stop()
    }
}
