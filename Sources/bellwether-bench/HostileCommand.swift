import ArgumentParser
import BellwetherTelemetry
import Foundation
import Synchronization

/// `bellwether-bench hostile`: hostile traffic against a running `bellwether serve` for
/// `--seconds`, all at once — gzip bombs to OTLP, observation lines nested 200,000 deep, OTLP
/// cardinality floods (new agent ids and attribute sets in every request), heartbeats under new
/// ids, and slow-loris connections that trickle a request one byte every two seconds — while a
/// legitimate agent heartbeats and an operator lists rollouts twice a second. Prints what each
/// attacker was answered, the legitimate requests' statuses and latencies, how many control-loop
/// passes ran (`bellwether_control_passes_total`), and the server's peak resident memory.
/// `scripts/bench-hostile` starts a release server and runs it.
struct HostileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostile",
        abstract: "Hostile traffic against a running bellwether serve: bombs, deep nesting, cardinality floods, slow-loris; memory and liveness."
    )

    @Option(help: "The server's address, host:port (the API's listener, which serves OTLP too).")
    var address = "127.0.0.1:7070"

    @Option(help: "The server's process id, for its resident memory.")
    var serverPid: Int32

    @Option(help: "The agent token.")
    var agentToken: String

    @Option(help: "The admin token.")
    var adminToken: String

    @Option(help: "Seconds of attack.")
    var seconds = 60.0

    @Option(help: "Slow-loris connections held open.")
    var slowConnections = 200

    @Option(help: ArgumentHelp("A gzip file to send as an OTLP body (a bomb: `head -c 1G /dev/zero | gzip -9`).", valueName: "file"))
    var bomb: String

    @Option(help: "The attacks to run, comma-separated: bomb, deep, cardinality, heartbeats, slow-loris (default: all at once).")
    var attacks = "bomb,deep,cardinality,heartbeats,slow-loris"

    func validate() throws {
        let known: Set = ["bomb", "deep", "cardinality", "heartbeats", "slow-loris"]
        guard Set(chosen).isSubset(of: known), !chosen.isEmpty else {
            throw ValidationError("--attacks takes a comma-separated list of \(known.sorted().joined(separator: ", "))")
        }
    }

    private var chosen: [String] { attacks.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() throws {
        let bombBody = try [UInt8](Data(contentsOf: URL(fileURLWithPath: bomb)))
        let deadline = Date().addingTimeInterval(seconds)
        let passesBefore = try controlPasses()
        let tally = AttackTally()
        let peak = Mutex(0.0)
        let group = DispatchGroup()
        func spawn(_ body: @escaping @Sendable () -> Void) {
            group.enter()
            Thread.detachNewThread {
                body()
                group.leave()
            }
        }
        let address = address, agentToken = agentToken, adminToken = adminToken, slowConnections = slowConnections
        let agentHeaders = [("Authorization", "Bearer \(agentToken)")]
        let chosen = Set(chosen)
        if chosen.contains("bomb") { spawn {
            Self.repeatedly(until: deadline, tally: tally, attack: "gzip bomb (1 GiB of zeros) to /v1/metrics", address: address) { _ in
                RawHTTPConnection.request(
                    path: "/v1/metrics", host: address,
                    headers: agentHeaders + [("Content-Type", "application/x-protobuf"), ("Content-Encoding", "gzip")], body: bombBody
                )
            }
        } }
        if chosen.contains("deep") { spawn {
            let deep = Array(#"{"agent": "deep", "k": "#.utf8) + [UInt8](repeating: UInt8(ascii: "["), count: 200_000)
            Self.repeatedly(until: deadline, tally: tally, attack: "observation line nested 200,000 deep", address: address) { _ in
                RawHTTPConnection.request(path: "/api/v1/observations", host: address, headers: agentHeaders, body: deep)
            }
        } }
        if chosen.contains("cardinality") { spawn {
            Self.repeatedly(until: deadline, tally: tally, attack: "OTLP cardinality flood (50 new agents × 100 new series a request)", address: address) { round in
                (try? Self.flood(round: round)).map {
                    RawHTTPConnection.request(path: "/v1/metrics", host: address, headers: agentHeaders + [("Content-Type", "application/x-protobuf")], body: $0)
                } ?? []
            }
        } }
        if chosen.contains("heartbeats") { spawn {
            Self.repeatedly(until: deadline, tally: tally, attack: "heartbeats under new agent ids", address: address) { round in
                let body = #"{"id": "flood-\#(round)", "version": "6.6.6", "labels": {"role": "collector"}}"#
                return RawHTTPConnection.request(path: "/api/v1/agents/heartbeat", host: address, headers: agentHeaders, body: Array(body.utf8))
            }
        } }
        if chosen.contains("slow-loris") { spawn { Self.slowLoris(connections: slowConnections, until: deadline, address: address, tally: tally) } }
        spawn {
            let heartbeat = RawHTTPConnection.request(
                path: "/api/v1/agents/heartbeat", host: address, headers: agentHeaders,
                body: Array(#"{"id": "legitimate-1", "version": "2.3.1", "labels": {"role": "collector"}}"#.utf8)
            )
            let list = RawHTTPConnection.request(method: "GET", path: "/api/v1/rollouts", host: address, headers: [("Authorization", "Bearer \(adminToken)")], body: [])
            while Date() < deadline {
                for (name, request) in [("legitimate heartbeat", heartbeat), ("operator GET /api/v1/rollouts", list)] {
                    let started = ContinuousClock.now
                    let status = (try? RawHTTPConnection(endpoint: address).send(request)) ?? 0
                    tally.record(name, status: status, latency: ContinuousClock.now - started)
                }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        let serverPid = serverPid
        let samples = Mutex<[Double]>([])
        let started = Date()
        spawn {
            while Date() < deadline {
                if let usage = ProcessUsage.of(String(serverPid)) {
                    peak.withLock { $0 = max($0, usage.residentMiB) }
                    // One sample every 10 s: a bound holds when they stop growing.
                    samples.withLock { if Date().timeIntervalSince(started) >= Double($0.count) * 10 { $0.append(usage.residentMiB) } }
                }
                Thread.sleep(forTimeInterval: 0.25)
            }
        }
        group.wait()
        let passes = try controlPasses() - passesBefore
        print("# bellwether-bench hostile --seconds \(Int(seconds)) --slow-connections \(slowConnections) --attacks \(attacks)")
        print("")
        print(tally.report())
        print("")
        print("control-loop passes during the attack: \(passes) in \(Int(seconds)) s (one a second when it keeps ticking)")
        let timeline = samples.withLock { $0 }.map { String(format: "%.0f", $0) }.joined(separator: ", ")
        print("server resident memory: peak \(String(format: "%.0f", peak.withLock { $0 })) MiB; every 10 s: \(timeline) MiB")
    }

    /// Sends what `request` makes for each round, on one keep-alive connection reopened whenever
    /// the server closes it, until `deadline`.
    static func repeatedly(until deadline: Date, tally: AttackTally, attack: String, address: String, request: (Int) -> [UInt8]) {
        var connection: RawHTTPConnection?
        var round = 0
        while Date() < deadline {
            round += 1
            let bytes = request(round)
            guard !bytes.isEmpty else { continue }
            let started = ContinuousClock.now
            do {
                if connection == nil { connection = try RawHTTPConnection(endpoint: address) }
                tally.record(attack, status: try connection!.send(bytes), latency: ContinuousClock.now - started)
            } catch {
                tally.record(attack, status: 0, latency: ContinuousClock.now - started)
                connection = nil
            }
        }
    }

    /// An OTLP export from 50 agents no request named before, each with 100 series of attributes
    /// no request used before.
    static func flood(round: Int) throws -> [UInt8] {
        try OTLPExportMetricsServiceRequest.with {
            $0.resourceMetrics = (0..<50).map { agent in
                OTLPResourceMetrics.with {
                    $0.resource.attributes = [OTLPKeyValue.with { $0.key = "service.instance.id"; $0.value.stringValue = "flood-\(round)-\(agent)" }]
                    $0.scopeMetrics = [OTLPScopeMetrics.with {
                        $0.metrics = [OTLPMetric.with {
                            $0.name = "agent.data.records_processed_total"
                            $0.sum.isMonotonic = true
                            $0.sum.aggregationTemporality = .cumulative
                            $0.sum.dataPoints = (0..<100).map { series in
                                OTLPNumberDataPoint.with {
                                    $0.startTimeUnixNano = 1
                                    $0.timeUnixNano = 2
                                    $0.asInt = 1
                                    $0.attributes = [OTLPKeyValue.with { $0.key = "junk"; $0.value.stringValue = "\(round)-\(series)" }]
                                }
                            }
                        }]
                    }]
                }
            }
        }.serializedBytes()
    }

    /// Opens `connections` connections that each send a heartbeat's request line and then one
    /// header byte every two seconds, reopening those the server closed, and counts the closings.
    static func slowLoris(connections: Int, until deadline: Date, address: String, tally: AttackTally) {
        let attack = "slow-loris connection (1 byte / 2 s)"
        let head = Array("POST /api/v1/agents/heartbeat HTTP/1.1\r\nHost: \(address)\r\nX-Slow: ".utf8)
        var open: [RawHTTPConnection?] = (0..<connections).map { _ in
            guard let connection = try? RawHTTPConnection(endpoint: address), (try? connection.write(head)) != nil else { return nil }
            return connection
        }
        tally.record("\(attack): opened", status: 0, latency: .zero, count: open.count { $0 != nil })
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 2)
            for index in open.indices {
                guard let connection = open[index] else { continue }
                if (try? connection.write([UInt8(ascii: "a")])) == nil {
                    tally.record("\(attack): closed by the server", status: 0, latency: .zero)
                    open[index] = nil
                }
            }
        }
        tally.record("\(attack): still open at the end", status: 0, latency: .zero, count: open.count { $0 != nil })
    }

    private func controlPasses() throws -> Int {
        let connection = try RawHTTPConnection(endpoint: address)
        let text = try connection.fetch(RawHTTPConnection.request(method: "GET", path: "/metrics", host: address, headers: [("Connection", "close")], body: []))
        let line = text.split(separator: "\n").first { $0.hasPrefix("bellwether_control_passes_total ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
    }
}
