/// Reads the durations policies are written in: `500ms`, `30s`, `15m`, `1h30m`, `2d`.
///
/// A unit is always required: a bare `30` is ambiguous between seconds and minutes, and guessing
/// wrong bakes a step sixty times too long or too short.
public enum DurationParser {
    /// Seconds per unit; `ms` must be tried before `m`.
    static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
    ]

    /// The hint every duration error ends with.
    public static let hint = "write a duration such as 30s, 15m or 1h"

    /// Seconds in `text`, or `nil` when it is not a sequence of `<digits><unit>` parts.
    public static func seconds(_ text: String) -> Double? {
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let amount = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.suffix) }) else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            total += amount * unit.seconds
        }
        return total
    }
}
