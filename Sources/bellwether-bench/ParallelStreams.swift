import Foundation

/// Runs one job per stream on every core and returns the results in stream order. Every job is
/// a pure function of its stream number (its seed is derived from it), so the results do not
/// depend on scheduling.
enum ParallelStreams {
    static func map<Result: Sendable>(count: Int, _ job: @escaping @Sendable (Int) -> Result) async -> [Result] {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return await withTaskGroup(of: [(Int, Result)].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    stride(from: worker, to: count, by: workers).map { ($0, job($0)) }
                }
            }
            var results: [(Int, Result)] = []
            for await batch in group { results += batch }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
