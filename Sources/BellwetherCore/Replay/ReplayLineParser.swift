import Foundation

/// Parses one replay line straight into a `ReplayObservation`, byte by byte, without building a
/// generic JSON tree: replays of hours of fleet data are millions of lines, and back-testing a
/// policy should take seconds. Unknown keys are skipped, as the format promises.
public struct ReplayLineParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private let line: Int
    /// How many objects and arrays enclose the current position.
    private var depth = 0

    /// The deepest nesting a line may have. Real lines nest three levels; skipping an unknown value
    /// recurses once per level, so an unbounded `[[[[…` would exhaust the stack.
    public static let maximumDepth = 32

    /// Parses `bytes` (one line, without its newline) as line number `line`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws(ReplayFormatError) -> ReplayObservation {
        var parser = ReplayLineParser(bytes: bytes, line: line)
        return try parser.observation()
    }

    public static func parse(_ text: String, line: Int) throws(ReplayFormatError) -> ReplayObservation {
        var copy = text
        do {
            return try copy.withUTF8 { buffer in try parse(buffer, line: line) }
        } catch let error as ReplayFormatError {
            throw error
        } catch {
            throw ReplayFormatError(line: line, message: "\(error)")
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, line: Int) {
        self.bytes = bytes
        self.line = line
    }

    /// Parses one line of live agent telemetry (`POST /api/v1/observations`): the replay format,
    /// except that `cohort` is ignored, because live the controller decides cohorts from versions,
    /// and `time` may be left out, for agents that report "now", in which case `defaultTime` applies.
    public static func parseAgentObservation(
        _ bytes: UnsafeBufferPointer<UInt8>, line: Int, defaultTime: Double
    ) throws(ReplayFormatError) -> AgentObservation {
        var parser = ReplayLineParser(bytes: bytes, line: line)
        let fields = try parser.fields(readsCohort: false)
        let agent = try fields.requireAgent(line: line)
        try fields.requireData(line: line)
        return AgentObservation(
            agent: agent, time: fields.time ?? defaultTime, version: fields.version,
            counters: fields.counters ?? [:], spans: fields.spans ?? [:], histograms: fields.histograms ?? [:]
        )
    }

    // MARK: The line's structure

    /// What one line says, before the rules of its use (replay or live) decide what is required.
    private struct Fields {
        var time: Double?
        var agent: String?
        var cohort: CohortRole?
        var version: String?
        var counters: [String: Double]?
        var spans: [String: SpanCounts]?
        var histograms: [String: HistogramCounts]?

        func requireAgent(line: Int) throws(ReplayFormatError) -> String {
            guard let agent else { throw ReplayFormatError(line: line, message: "missing \"agent\" (the agent's id)") }
            return agent
        }

        func requireData(line: Int) throws(ReplayFormatError) {
            guard counters != nil || spans != nil || histograms != nil else {
                throw ReplayFormatError(line: line, message: "a line needs at least one of \"counters\", \"spans\" or \"histograms\"")
            }
        }
    }

    private mutating func observation() throws(ReplayFormatError) -> ReplayObservation {
        let fields = try fields(readsCohort: true)
        guard let time = fields.time else {
            throw ReplayFormatError(line: line, message: "missing \"time\" (seconds since the Unix epoch)")
        }
        let agent = try fields.requireAgent(line: line)
        guard let cohort = fields.cohort else {
            throw ReplayFormatError(line: line, message: "missing \"cohort\" (\"canary\" or \"baseline\")")
        }
        try fields.requireData(line: line)
        var observation = ReplayObservation(time: time, agent: agent, cohort: cohort, version: fields.version)
        observation.counters = fields.counters ?? [:]
        observation.spans = fields.spans ?? [:]
        observation.histograms = fields.histograms ?? [:]
        return observation
    }

    /// Reads the whole line; with `readsCohort` false, a `cohort` key is skipped like an unknown one.
    private mutating func fields(readsCohort: Bool) throws(ReplayFormatError) -> Fields {
        var fields = Fields()
        try object { (parser: inout ReplayLineParser, key: String) throws(ReplayFormatError) in
            switch key {
            case "time":
                let time = try parser.number(field: "time")
                guard CountBounds.admits(time: time) else {
                    throw parser.failure("time \(time) is not seconds since the Unix epoch within ±10^11 s")
                }
                fields.time = time
            case "agent":
                let value = try parser.string(field: "agent")
                guard !value.isEmpty else { throw parser.failure("agent must be a non-empty string") }
                fields.agent = value
            case "cohort" where readsCohort:
                let value = try parser.string(field: "cohort")
                guard let role = CohortRole(rawValue: value) else {
                    throw parser.failure("cohort must be \"canary\" or \"baseline\", found \"\(value)\"")
                }
                fields.cohort = role
            case "version": fields.version = try parser.string(field: "version")
            case "counters": fields.counters = try parser.counters()
            case "spans": fields.spans = try parser.spans()
            case "histograms": fields.histograms = try parser.histograms()
            default: try parser.skipValue()
            }
        }
        skipWhitespace()
        guard position == bytes.count else { throw failure("unexpected text after the JSON object") }
        return fields
    }

    private mutating func counters() throws(ReplayFormatError) -> [String: Double] {
        var result: [String: Double] = [:]
        try object { (parser: inout ReplayLineParser, name: String) throws(ReplayFormatError) in
            let value = try parser.number(field: "counters.\(name)")
            guard value >= 0 else { throw parser.failure("counters.\(name) is \(value): cumulative counters are never negative") }
            guard CountBounds.admits(count: value) else { throw parser.failure("counters.\(name) is \(value), past the largest count, 2^53") }
            result[name] = value
        }
        return result
    }

    private mutating func spans() throws(ReplayFormatError) -> [String: SpanCounts] {
        var result: [String: SpanCounts] = [:]
        try object { (parser: inout ReplayLineParser, name: String) throws(ReplayFormatError) in
            var total: Double?
            var failed: Double?
            try parser.object { (parser: inout ReplayLineParser, key: String) throws(ReplayFormatError) in
                switch key {
                case "total": total = try parser.count(field: "spans.\(name).total")
                case "failed": failed = try parser.count(field: "spans.\(name).failed")
                default: try parser.skipValue()
                }
            }
            guard let total, let failed else { throw parser.failure("spans.\(name) needs \"total\" and \"failed\"") }
            guard failed <= total else {
                // `%g`, not `Int(_:)`: a count can be any finite double, and converting one past
                // Int.max traps (found by FuzzObservations).
                throw parser.failure("spans.\(name).failed (\(String(format: "%.15g", failed))) exceeds total (\(String(format: "%.15g", total)))")
            }
            result[name] = SpanCounts(total: total, failed: failed)
        }
        return result
    }

    private mutating func histograms() throws(ReplayFormatError) -> [String: HistogramCounts] {
        var result: [String: HistogramCounts] = [:]
        try object { (parser: inout ReplayLineParser, name: String) throws(ReplayFormatError) in
            var bounds: [Double]?
            var counts: [Double]?
            var count: Double?
            var sum: Double?
            try parser.object { (parser: inout ReplayLineParser, key: String) throws(ReplayFormatError) in
                switch key {
                case "bounds": bounds = try parser.numbers(field: "histograms.\(name).bounds", counts: false)
                case "counts": counts = try parser.numbers(field: "histograms.\(name).counts", counts: true)
                case "count": count = try parser.count(field: "histograms.\(name).count")
                case "sum": sum = try parser.number(field: "histograms.\(name).sum")
                default: try parser.skipValue()
                }
            }
            guard let bounds, let counts else { throw parser.failure("histograms.\(name) needs \"bounds\" and \"counts\"") }
            guard counts.count == bounds.count + 1 else {
                throw parser.failure("histograms.\(name).counts has \(counts.count) entries; with \(bounds.count) bounds it needs \(bounds.count + 1)")
            }
            guard zip(bounds, bounds.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw parser.failure("histograms.\(name).bounds must increase")
            }
            let total = counts.reduce(0, +)
            result[name] = HistogramCounts(bounds: bounds, counts: counts, count: count ?? total, sum: sum ?? 0)
        }
        return result
    }

    // MARK: JSON scalars

    private mutating func object(_ body: (inout ReplayLineParser, String) throws(ReplayFormatError) -> Void) throws(ReplayFormatError) {
        try expect(UInt8(ascii: "{"), "an object")
        try enter()
        defer { depth -= 1 }
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipWhitespace()
            let key = try string(field: "a key")
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':'")
            skipWhitespace()
            try body(&self, key)
            skipWhitespace()
            guard let next = peek() else { throw failure("the line ends inside an object") }
            position += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { position -= 1; throw failure("expected ',' or '}'") }
        }
    }

    private mutating func numbers(field: @autoclosure () -> String, counts: Bool) throws(ReplayFormatError) -> [Double] {
        try expect(UInt8(ascii: "["), "an array for \(field())")
        var values: [Double] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { position += 1; return values }
        while true {
            skipWhitespace()
            values.append(counts ? try count(field: field()) : try number(field: field()))
            skipWhitespace()
            guard let next = peek() else { throw failure("the line ends inside \(field())") }
            position += 1
            if next == UInt8(ascii: "]") { return values }
            guard next == UInt8(ascii: ",") else { position -= 1; throw failure("expected ',' or ']' in \(field())") }
        }
    }

    /// A non-negative whole number.
    private mutating func count(field: @autoclosure () -> String) throws(ReplayFormatError) -> Double {
        let value = try number(field: field())
        guard value >= 0, value == value.rounded(), CountBounds.admits(count: value) else {
            throw failure("\(field()) must be a whole number from 0 to 2^53, found \(value)")
        }
        return value
    }

    /// Powers of ten that are exact in a Double: a mantissa below 2^53 divided by one of them is
    /// correctly rounded, so plain decimals need no strtod (Clinger's fast path).
    private static let exactPowersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    private mutating func number(field: @autoclosure () -> String) throws(ReplayFormatError) -> Double {
        skipWhitespace()
        let start = position
        var mantissa: Int64 = 0
        var negative = false
        var digits = 0
        var fractionDigits = 0
        if peek() == UInt8(ascii: "-") { negative = true; position += 1 }
        while let byte = peek(), byte >= 48, byte <= 57 {
            if digits < 18 { mantissa = mantissa * 10 + Int64(byte - 48) }
            digits += 1
            position += 1
        }
        guard digits > 0 else {
            position = start
            throw failure("\(field()) must be a number")
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            while let byte = peek(), byte >= 48, byte <= 57 {
                if digits < 18 { mantissa = mantissa * 10 + Int64(byte - 48) }
                digits += 1
                fractionDigits += 1
                position += 1
            }
        }
        var simple = digits <= 15 && fractionDigits <= 22
        while let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || (byte >= 48 && byte <= 57) {
            simple = false
            position += 1
        }
        if simple {
            let magnitude = Double(mantissa) / Self.exactPowersOfTen[fractionDigits]
            return negative ? -magnitude : magnitude
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            position = start
            throw failure("\(field()) is not a valid number: \(text)")
        }
        return value
    }

    private mutating func string(field: @autoclosure () -> String) throws(ReplayFormatError) -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw failure("\(field()) must be a string") }
        position += 1
        let start = position
        var escaped = false
        while let byte = peek(), byte != UInt8(ascii: "\"") {
            if byte == UInt8(ascii: "\\") { escaped = true; position += 1 }
            position += 1
        }
        guard position < bytes.count else { throw failure("unterminated string") }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
        position += 1
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        // Rare: let Foundation undo the escapes.
        let quoted = "\"" + String(decoding: raw, as: UTF8.self) + "\""
        guard let value = try? JSONDecoder().decode(String.self, from: Data(quoted.utf8)) else {
            throw failure("\(field()) has an invalid escape")
        }
        return value
    }

    private mutating func skipValue() throws(ReplayFormatError) {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "{")?:
            try object { (parser: inout ReplayLineParser, _: String) throws(ReplayFormatError) in try parser.skipValue() }
        case UInt8(ascii: "[")?:
            position += 1
            try enter()
            defer { depth -= 1 }
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { position += 1; return }
            while true {
                try skipValue()
                skipWhitespace()
                guard let next = peek() else { throw failure("the line ends inside an array") }
                position += 1
                if next == UInt8(ascii: "]") { return }
                guard next == UInt8(ascii: ",") else { position -= 1; throw failure("expected ',' or ']'") }
            }
        case UInt8(ascii: "\"")?:
            _ = try string(field: "a value")
        case UInt8(ascii: "t")?, UInt8(ascii: "f")?, UInt8(ascii: "n")?:
            for literal in ["true", "false", "null"] where matches(literal) {
                position += literal.utf8.count
                return
            }
            throw failure("invalid literal")
        case nil:
            throw failure("the line ends where a value should be")
        default:
            _ = try number(field: "a value")
        }
    }

    // MARK: Bytes

    private mutating func enter() throws(ReplayFormatError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw failure("values nest deeper than \(Self.maximumDepth) levels")
        }
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private func matches(_ literal: String) -> Bool {
        let utf8 = Array(literal.utf8)
        guard position + utf8.count <= bytes.count else { return false }
        return (0..<utf8.count).allSatisfy { bytes[position + $0] == utf8[$0] }
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 32 || byte == 9 || byte == 13 || byte == 10 { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(ReplayFormatError) {
        skipWhitespace()
        guard peek() == byte else { throw failure("expected \(what)") }
        position += 1
    }

    private func failure(_ message: String) -> ReplayFormatError {
        ReplayFormatError(line: line, column: position + 1, message: message)
    }
}
