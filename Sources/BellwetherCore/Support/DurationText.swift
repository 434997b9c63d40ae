/// Durations as operators write them in policies ("15m", "1h30m"), for texts they read back.
enum DurationText {
    /// Whole seconds as hours, minutes and seconds, leaving out zero parts; anything finer as
    /// plain seconds, so a text never hides a fraction the policy contains.
    static func compact(seconds: Double) -> String {
        guard seconds >= 0, seconds == seconds.rounded(), seconds < Double(Int.max) else {
            return "\(seconds)s"
        }
        let whole = Int(seconds)
        let parts = [(whole / 3600, "h"), (whole % 3600 / 60, "m"), (whole % 60, "s")]
            .filter { $0.0 > 0 }
            .map { "\($0.0)\($0.1)" }
        return parts.isEmpty ? "0s" : parts.joined()
    }
}
