import BellwetherTelemetry
import Testing

/// Load shedding: past the in-flight budget a request is refused as retryable, never queued.
@Suite struct OTLPAdmissionTests {
    @Test func requestsPastTheRequestBudgetAreRefusedUntilOneIsReleased() throws {
        let admission = OTLPAdmission(budget: .init(maxRequests: 2, maxBytes: 1_000, retryAfterSeconds: 3))
        let first = try admission.admit(bytes: 10)
        _ = try admission.admit(bytes: 10)
        #expect(throws: OTLPRequestError.overloaded(retryAfterSeconds: 3)) { try admission.admit(bytes: 0) }
        admission.release(first)
        _ = try admission.admit(bytes: 0)
        #expect(admission.load == (2, 10))
    }

    @Test func bytesPastTheByteBudgetAreRefusedButALoneLargeRequestIsLetThrough() throws {
        let admission = OTLPAdmission(budget: .init(maxRequests: 10, maxBytes: 100))
        var lone = try admission.admit(bytes: 500)
        #expect(throws: OTLPRequestError.overloaded(retryAfterSeconds: 1)) { try admission.admit(bytes: 1) }
        admission.release(lone)
        lone = try admission.admit(bytes: 60)
        var chunked = try admission.admit(bytes: 0)
        #expect(throws: OTLPRequestError.overloaded(retryAfterSeconds: 1)) { try admission.grow(&chunked, to: 50) }
        try admission.grow(&chunked, to: 40)
        #expect(admission.load == (2, 100))
        admission.release(chunked)
        admission.release(lone)
        #expect(admission.load == (0, 0))
        #expect(OTLPRequestError.overloaded(retryAfterSeconds: 1).statusCode == 429)
    }
}
