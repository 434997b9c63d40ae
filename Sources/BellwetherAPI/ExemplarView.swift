import BellwetherCore
import Foundation

/// One failing span kept as evidence for a rollout (`GET /api/v1/rollouts/{id}/exemplars`): the
/// check it failed, whose agent and cohort it came from, and enough to find the trace (trace and
/// span id in hex) and see what went wrong (the record, the exception) at a glance.
public struct ExemplarView: Sendable, Hashable, Codable {
    public var rollout: String
    /// The step's cohort name (`canary`, `early`, …) or `baseline`.
    public var cohort: String
    public var role: CohortRole
    /// The `spans` check the span failed.
    public var check: String
    public var agent: String
    public var version: String?
    public var traceID: String
    public var spanID: String
    public var name: String
    /// When the span ended, by the agent's clock.
    public var time: Date
    /// When the controller received it, by its own clock.
    public var receivedAt: Date
    /// The span's `record.id` attribute, when it has one.
    public var recordID: String?
    public var statusMessage: String?
    public var exceptionType: String?
    public var exceptionMessage: String?
    public var attributes: [String: String]

    public init(_ exemplar: RolloutExemplar) {
        let span = exemplar.span
        rollout = exemplar.rolloutID
        cohort = exemplar.cohort
        role = exemplar.role
        check = exemplar.check
        agent = span.agent
        version = span.version
        traceID = span.traceID
        spanID = span.spanID
        name = span.name
        time = Date(timeIntervalSince1970: span.time)
        receivedAt = Date(timeIntervalSince1970: exemplar.receivedAt)
        recordID = span.recordID
        statusMessage = span.statusMessage
        exceptionType = span.exceptionType
        exceptionMessage = span.exceptionMessage
        attributes = span.attributes
    }
}
