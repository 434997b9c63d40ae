import ArgumentParser
import BellwetherTelemetry
import Foundation

/// `bellwether-bench otlp`: how much CPU the embedded receiver spends to decode, classify and
/// accumulate a span or a metric data point, on one thread, without HTTP, from protobuf export
/// requests shaped as the OpenTelemetry SDKs send them. Reported as CPU nanoseconds per item
/// (the thread's own CPU time, so other processes loading the machine barely move it) and as
/// items per wall-clock second; the metric path is also measured decoding only, which splits its
/// cost between protobuf decoding and accumulation. The HTTP side, on loopback, is measured
/// separately (`otlp-http`).
struct OTLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otlp",
        abstract: "Decoding and accumulation cost of the OTLP receiver (CPU ns per span and per data point, items/s) and its memory."
    )

    enum Signal: String, ExpressibleByArgument, CaseIterable {
        case traces, metrics
    }

    @Option(help: "Distinct agents the requests come from.")
    var agents = 200

    @Option(help: "Seconds to run each measurement.")
    var seconds = 10.0

    @Option(help: "The signals to measure (traces, metrics; repeatable).")
    var signal: [Signal] = Signal.allCases

    func validate() throws {
        guard agents > 0, seconds > 0 else { throw ValidationError("--agents and --seconds must be positive") }
    }

    func run() throws {
        var rows: [String] = []
        if signal.contains(.traces) {
            let traces = try OTLPLoad.traceRequests(agents: agents)
            let spansPerPass = traces.count * OTLPLoad.spansPerRequest
            // One receiver throughout: span counts keep no state but the bounded exemplars.
            let spanReceiver = OTLPReceiver()
            let run = try measure { time in
                for body in traces { _ = try spanReceiver.receiveTraces(body, encoding: .protobuf, coding: .identity, at: time) }
                return spansPerPass
            }
            rows.append(run.row("traces: decoded, classified, counted", "\(OTLPLoad.spansPerRequest) spans per request, one agent each, 10% failing (exception event)", unit: "spans"))
        }
        if signal.contains(.metrics) {
            let rounds = try OTLPLoad.metricRounds(agents: agents)
            let pointsPerPass = rounds.reduce(0) { $0 + $1.count } * OTLPLoad.pointsPerRequest
            let shape = "\(OTLPLoad.pointsPerRequest) points per request (2 cumulative counters and 1 histogram × \(OTLPLoad.seriesPerMetric) attribute sets)"
            // A fresh receiver each pass, so the same exports count again rather than as resends.
            let run = try measure { time in
                let receiver = OTLPReceiver()
                for round in rounds {
                    for body in round { _ = try receiver.receiveMetrics(body, encoding: .protobuf, coding: .identity, at: time) }
                }
                return pointsPerPass
            }
            rows.append(run.row("metrics: decoded and accumulated", shape, unit: "points"))
            let decoder = OTLPPayloadDecoder()
            let decoding = try measure { _ in
                for round in rounds {
                    for body in round { _ = try decoder.metrics(body, encoding: .protobuf, coding: .identity) }
                }
                return pointsPerPass
            }
            rows.append(decoding.row("metrics: decoded only", shape, unit: "points"))
        }
        print("""
            # bellwether-bench otlp --agents \(agents) --seconds \(seconds)

            | measured | request shape | CPU ns per item | per CPU second | per second (wall clock) |
            | --- | --- | --- | --- | --- |
            \(rows.joined(separator: "\n"))

            resident memory \(OTLPLoad.memory("VmRSS")), peak \(OTLPLoad.memory("VmHWM")) (the prebuilt requests included); \
            load average \(LoadAverage.current)
            """)
    }

    /// Passes of `pass` until `seconds` have gone, timed by the wall clock and by this thread's
    /// CPU time.
    private func measure(_ pass: (Double) throws -> Int) rethrows -> Run {
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = ThreadCPUTime.seconds()
        var items = 0, passes = 0
        while clock.now - start < .seconds(seconds) {
            items += try pass(Double(passes))
            passes += 1
        }
        return Run(items: items, wallSeconds: (clock.now - start).seconds, cpuSeconds: ThreadCPUTime.seconds() - cpuStart)
    }

    private struct Run {
        var items: Int
        var wallSeconds: Double
        var cpuSeconds: Double

        func row(_ label: String, _ shape: String, unit: String) -> String {
            let nanoseconds = cpuSeconds * 1e9 / Double(items)
            return "| \(label) | \(shape) | \(String(format: "%.0f", nanoseconds)) | \(Int(Double(items) / cpuSeconds)) \(unit) | \(Int(Double(items) / wallSeconds)) \(unit) |"
        }
    }
}
