/// Renders seconds the way policies write durations: `45s`, `15m`, `1h30m`.
enum DurationText {
    static func format(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "∞" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        var rest = Int(seconds.rounded())
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text.isEmpty ? "0s" : text
    }
}
