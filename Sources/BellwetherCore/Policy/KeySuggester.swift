/// Finds the known word an operator most likely meant, so a typo costs one glance instead of a
/// trip to the documentation.
enum KeySuggester {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a plausible typo.
    static func nearest(to word: String, among candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        let threshold = max(2, word.count / 3)
        let scored = candidates.map { (candidate: $0, distance: distance(lowered, $0.lowercased())) }
        let best = scored.min { ($0.distance, $0.candidate) < ($1.distance, $1.candidate) }
        guard let best, best.distance <= threshold else { return nil }
        return best.candidate
    }

    /// Levenshtein distance: insertions, deletions and substitutions each cost one.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            previous = current
        }
        return previous[b.count]
    }

    /// "did you mean 'x'?" when there is a near miss, otherwise the full list to choose from.
    static func hint(for word: String, among candidates: some Sequence<String>) -> String {
        if let near = nearest(to: word, among: candidates) {
            return "did you mean '\(near)'?"
        }
        return "expected one of " + candidates.sorted().joined(separator: ", ")
    }
}
