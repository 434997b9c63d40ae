import Foundation

/// The series of a range query's answer: each with its labels and its values in time order.
public struct PrometheusSeries: Sendable, Hashable {
    public var labels: [String: String]
    /// (seconds since the Unix epoch, value); values Prometheus wrote as `NaN` or `±Inf` are left
    /// out, as no counter holds them.
    public var points: [(time: Double, value: Double)]

    public init(labels: [String: String], points: [(time: Double, value: Double)]) {
        self.labels = labels
        self.points = points
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.labels == rhs.labels && lhs.points.elementsEqual(rhs.points) { $0.time == $1.time && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        for point in points { hasher.combine(point.time); hasher.combine(point.value) }
    }
}

/// Reads the body of `/api/v1/query_range` (or `/api/v1/query`): `{"status": "success", "data":
/// {"resultType": "matrix" | "vector", "result": [...]}}`, or `{"status": "error", "errorType",
/// "error"}`, as the Prometheus HTTP API documents it.
public enum PrometheusMatrix {
    private struct Body: Decodable {
        var status: String
        var data: DataField?
        var errorType: String?
        var error: String?
    }

    private struct DataField: Decodable {
        var resultType: String
        var result: [Result]
    }

    private struct Result: Decodable {
        var metric: [String: String]
        var values: [Sample]?
        var value: Sample?
    }

    /// `[1700000000.5, "42"]`: the time as a number, the value as a string.
    private struct Sample: Decodable {
        var time: Double
        var value: String

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            time = try container.decode(Double.self)
            value = try container.decode(String.self)
        }
    }

    /// The series of a successful answer; `query` only labels a refusal.
    public static func parse(_ body: Data, query: String) throws(PrometheusError) -> [PrometheusSeries] {
        let decoded: Body
        do {
            decoded = try JSONDecoder().decode(Body.self, from: body)
        } catch {
            throw .malformedResponse(reason: "\(error) in \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        guard decoded.status == "success" else {
            throw .queryFailed(errorType: decoded.errorType ?? decoded.status, message: decoded.error ?? "no message", query: query)
        }
        guard let data = decoded.data else { throw .malformedResponse(reason: "a successful answer without data") }
        guard data.resultType == "matrix" || data.resultType == "vector" else {
            throw .malformedResponse(reason: "result type \(data.resultType), expected a matrix or a vector of series")
        }
        return data.result.map { result in
            let samples = result.values ?? result.value.map { [$0] } ?? []
            return PrometheusSeries(
                labels: result.metric,
                points: samples.compactMap { sample in
                    guard let value = Double(sample.value), value.isFinite else { return nil }
                    return (sample.time, value)
                }
            )
        }
    }

    /// Prometheus' own message in an error answer, for an HTTP status other than 200.
    public static func errorMessage(_ body: Data) -> String {
        if let decoded = try? JSONDecoder().decode(Body.self, from: body), let error = decoded.error {
            return [decoded.errorType, error].compactMap { $0 }.joined(separator: ": ")
        }
        return String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
