import Foundation

/// A process's CPU time and resident memory, read from `/proc` (Linux): what the HTTP benchmark
/// reports of the server it loads, and of itself.
struct ProcessUsage: Sendable {
    /// User and system CPU seconds since the process started.
    var cpuSeconds: Double
    /// Resident set size, in MiB.
    var residentMiB: Double

    /// The usage of process `pid` ("self" for this one); nil when it cannot be read.
    static func of(_ pid: String) -> ProcessUsage? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name start at field 3 (state); utime and stime are 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { Double($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        return ProcessUsage(cpuSeconds: (user + system) / ticks, residentMiB: rss / 1024)
    }
}
