import Crypto
import Foundation

/// Signs a webhook so its receiver can trust it: HMAC-SHA256, keyed with the target's secret,
/// over the timestamp, a dot, and the exact body bytes. Sent as
/// `X-Bellwether-Timestamp: <unix seconds>` and `X-Bellwether-Signature: sha256=<lower-case hex>`.
/// Covering the timestamp lets a receiver refuse replays of an old, validly signed request
/// (docs/notifications.md shows a verifier).
public struct WebhookSignature: Sendable {
    public static let signatureHeader = "X-Bellwether-Signature"
    public static let timestampHeader = "X-Bellwether-Timestamp"

    let secret: Data

    public init(secret: String) {
        self.secret = Data(secret.utf8)
    }

    /// The `X-Bellwether-Signature` value for `body` sent at `timestamp` (seconds since 1970).
    public func sign(body: Data, timestamp: Int64) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }
}
