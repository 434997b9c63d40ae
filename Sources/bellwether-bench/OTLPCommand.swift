import ArgumentParser
import BellwetherTelemetry
import Foundation

/// `bellwether-bench otlp`: how many spans and metric data points per second the embedded
/// receiver decodes, classifies and accumulates on one core, without HTTP, from protobuf export
/// requests shaped as the OpenTelemetry SDKs send them. The HTTP side, on loopback, is measured
/// separately.
struct OTLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otlp",
        abstract: "Decoding and accumulation throughput of the OTLP receiver (spans/s, data points/s) and its memory."
    )

    @Option(help: "Distinct agents the requests come from.")
    var agents = 200

    @Option(help: "Seconds to run each signal.")
    var seconds = 10.0

    func validate() throws {
        guard agents > 0, seconds > 0 else { throw ValidationError("--agents and --seconds must be positive") }
    }

    func run() throws {
        let traces = try OTLPLoad.traceRequests(agents: agents)
        let spansPerPass = traces.count * OTLPLoad.spansPerRequest
        // One receiver throughout: span counts keep no state but the bounded exemplars.
        let spanReceiver = OTLPReceiver()
        let spanRun = try measure(seconds: seconds) { _, time in
            for body in traces { _ = try spanReceiver.receiveTraces(body, encoding: .protobuf, coding: .identity, at: time) }
            return spansPerPass
        }
        let rounds = try OTLPLoad.metricRounds(agents: agents)
        let pointsPerPass = rounds.reduce(0) { $0 + $1.count } * OTLPLoad.pointsPerRequest
        // A fresh receiver each pass, so the same exports count again rather than as resends.
        let pointRun = try measure(seconds: seconds) { receiver, time in
            for round in rounds {
                for body in round { _ = try receiver.receiveMetrics(body, encoding: .protobuf, coding: .identity, at: time) }
            }
            return pointsPerPass
        }
        print("""
            # bellwether-bench otlp --agents \(agents) --seconds \(seconds)

            | signal | request shape | per second | requests/s |
            | --- | --- | --- | --- |
            | traces | \(OTLPLoad.spansPerRequest) spans per request, one agent each, 10% failing (exception event) | \(Int(spanRun.rate)) spans/s | \(Int(spanRun.rate) / OTLPLoad.spansPerRequest) |
            | metrics | \(OTLPLoad.pointsPerRequest) points per request (2 cumulative counters and 1 histogram × \(OTLPLoad.seriesPerMetric) attribute sets) | \(Int(pointRun.rate)) points/s | \(Int(pointRun.rate) / OTLPLoad.pointsPerRequest) |

            resident memory \(OTLPLoad.memory("VmRSS")), peak \(OTLPLoad.memory("VmHWM")) (the prebuilt requests included)
            """)
    }

    /// Passes of `pass` over a fresh receiver until `seconds` have gone; the items per second.
    private func measure(seconds: Double, _ pass: (OTLPReceiver, Double) throws -> Int) rethrows -> (rate: Double, passes: Int) {
        let clock = ContinuousClock()
        let start = clock.now
        var items = 0, passes = 0
        while clock.now - start < .seconds(seconds) {
            items += try pass(OTLPReceiver(), Double(passes))
            passes += 1
        }
        let elapsed = clock.now - start
        return (Double(items) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18), passes)
    }
}
