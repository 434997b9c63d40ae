import Foundation

/// The calling thread's CPU time: what an in-process measurement costs, whatever else loads the
/// machine (unlike the wall clock, which counts the time other processes held the core).
enum ThreadCPUTime {
    static func seconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// The machine's load averages over 1, 5 and 15 minutes, as `uptime` prints them: how much other
/// work competed with a measurement.
enum LoadAverage {
    static var current: String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
