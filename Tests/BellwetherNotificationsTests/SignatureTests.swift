import BellwetherNotifications
import Foundation
import Testing

@Suite struct SignatureTests {
    /// Computed with Python: hmac.new(b"s3cret", b"1700000000." + b'{"a":1}', hashlib.sha256).hexdigest()
    @Test func signsTheTimestampADotAndTheBodyWithHMACSHA256() {
        let signature = WebhookSignature(secret: "s3cret").sign(body: Data(#"{"a":1}"#.utf8), timestamp: 1_700_000_000)
        #expect(signature == "sha256=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940")
    }

    @Test func aDifferentTimestampOrBodyChangesTheSignature() {
        let signer = WebhookSignature(secret: "s3cret")
        let base = signer.sign(body: Data("x".utf8), timestamp: 1)
        #expect(base != signer.sign(body: Data("x".utf8), timestamp: 2))
        #expect(base != signer.sign(body: Data("y".utf8), timestamp: 1))
        #expect(base != WebhookSignature(secret: "other").sign(body: Data("x".utf8), timestamp: 1))
    }

    @Test func backoffDoublesUpToTheCapWithJitterInTheUpperHalfThenGivesUp() {
        let schedule = RetrySchedule(base: 10, cap: 60, maxAttempts: 5)
        #expect(schedule.delay(afterAttempt: 1, unit: 0) == 5)
        #expect(schedule.delay(afterAttempt: 1, unit: 0.999_999)! > 9.99)
        #expect(schedule.delay(afterAttempt: 2, unit: 0) == 10)
        #expect(schedule.delay(afterAttempt: 3, unit: 0.5) == 30)
        #expect(schedule.delay(afterAttempt: 4, unit: 1) == 60)
        #expect(schedule.delay(afterAttempt: 5, unit: 0) == nil)
    }
}
