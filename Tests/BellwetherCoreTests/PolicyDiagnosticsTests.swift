import Testing
@testable import BellwetherCore

/// One mistake in an otherwise valid policy, and exactly where and how the decoder must point at it.
struct Malformed: Sendable, CustomTestStringConvertible {
    var what: String
    var replacing: String
    var with: String
    var line: Int
    var column: Int
    var field: String
    var hint: String

    var testDescription: String { what }

    var yaml: String {
        precondition(minimalPolicy.contains(replacing), "fixture text '\(replacing)' not in the minimal policy")
        return minimalPolicy.replacingOccurrences(of: replacing, with: with)
    }
}

@Suite struct PolicyDiagnosticsTests {
    static let cases: [Malformed] = [
        Malformed(what: "name missing", replacing: "name: p\n", with: "",
                  line: 1, column: 1, field: "name", hint: "is required, for example `name: enrichment-canary`"),
        Malformed(what: "unknown top-level key", replacing: "name: p", with: "name: p\nselectr: {}",
                  line: 2, column: 1, field: "selectr", hint: "is not a known key: did you mean 'selector'?"),
        Malformed(what: "misspelt analysis key", replacing: "  checks:", with: "  intervall: 30s\n  checks:",
                  line: 6, column: 3, field: "analysis.intervall", hint: "did you mean 'interval'?"),
        Malformed(what: "percent in words", replacing: "percent: 10,", with: "percent: ten,",
                  line: 3, column: 31, field: "steps[0].percent", hint: "must be a number, found 'ten'"),
        Malformed(what: "bake without a unit", replacing: "bake: 15m", with: "bake: 15",
                  line: 3, column: 41, field: "steps[0].bake", hint: "write a duration such as 30s, 15m or 1h"),
        Malformed(what: "bake with an unknown unit", replacing: "bake: 15m", with: "bake: 15min",
                  line: 3, column: 41, field: "steps[0].bake", hint: "is not a duration, found '15min'"),
        Malformed(what: "zero bake", replacing: "bake: 15m", with: "bake: 0s",
                  line: 3, column: 41, field: "steps[0].bake", hint: "must be longer than zero"),
        Malformed(what: "bake missing before the last step", replacing: ", bake: 15m", with: "",
                  line: 3, column: 5, field: "steps[0].bake", hint: "is required, for example `bake: 15m`"),
        Malformed(what: "percents going down", replacing: "  - {cohort: all", with: "  - {cohort: half, percent: 5, bake: 1h}\n  - {cohort: all",
                  line: 4, column: 29, field: "steps[1].percent", hint: "is 5 but the step before is 10: percents must increase"),
        Malformed(what: "last step short of 100", replacing: "percent: 100", with: "percent: 90",
                  line: 4, column: 28, field: "steps[1].percent", hint: "the last step must reach 100"),
        Malformed(what: "percent above 100", replacing: "percent: 100", with: "percent: 150",
                  line: 4, column: 28, field: "steps[1].percent", hint: "above 0 and at most 100"),
        Malformed(what: "no steps", replacing: "steps:\n  - {cohort: canary, percent: 10, bake: 15m}\n  - {cohort: all, percent: 100}",
                  with: "steps: []", line: 2, column: 8, field: "steps", hint: "at least one step"),
        Malformed(what: "two steps with one cohort name", replacing: "cohort: all", with: "cohort: canary",
                  line: 4, column: 14, field: "steps[1].cohort", hint: "cohort names must be unique"),
        Malformed(what: "alpha too large", replacing: "  checks:", with: "  alpha: 0.7\n  checks:",
                  line: 6, column: 10, field: "analysis.alpha", hint: "strictly between 0 and 0.5"),
        Malformed(what: "interval longer than a bake", replacing: "  checks:", with: "  interval: 1h\n  checks:",
                  line: 6, column: 13, field: "analysis.interval", hint: "is 1h but steps[0].bake is 15m"),
        Malformed(what: "minAgentsPerCohort zero", replacing: "  checks:", with: "  minAgentsPerCohort: 0\n  checks:",
                  line: 6, column: 23, field: "analysis.minAgentsPerCohort", hint: "at least 1"),
        Malformed(what: "onNoData misspelt", replacing: "  checks:", with: "  onNoData: hault\n  checks:",
                  line: 6, column: 13, field: "analysis.onNoData", hint: "must be halt or rollback, found 'hault': did you mean 'halt'?"),
        Malformed(what: "no checks", replacing: "  checks:\n    - name: errors\n      ratio: {numerator: a, denominator: b}",
                  with: "  checks: []", line: 6, column: 11, field: "analysis.checks", hint: "at least one check"),
        Malformed(what: "analysis without checks", replacing: "  checks:\n    - name: errors\n      ratio: {numerator: a, denominator: b}",
                  with: "  interval: 10s", line: 6, column: 3, field: "analysis.checks", hint: "is required"),
        Malformed(what: "check with two kinds", replacing: "denominator: b}", with: "denominator: b}\n      rate: {metric: c}",
                  line: 9, column: 7, field: "analysis.checks[0]", hint: "names both ratio and rate: a check has exactly one kind"),
        Malformed(what: "check with no kind", replacing: "      ratio: {numerator: a, denominator: b}\n", with: "",
                  line: 7, column: 7, field: "analysis.checks[0]", hint: "give it one of ratio, spans, histogram or rate"),
        Malformed(what: "ratio without denominator", replacing: ", denominator: b", with: "",
                  line: 8, column: 14, field: "analysis.checks[0].ratio.denominator", hint: "is required"),
        Malformed(what: "two checks with one name", replacing: "denominator: b}", with: "denominator: b}\n    - name: errors\n      rate: {metric: c}",
                  line: 9, column: 13, field: "analysis.checks[1].name", hint: "check names must be unique"),
        Malformed(what: "onInconclusive misspelt", replacing: "denominator: b}", with: "denominator: b}\n      onInconclusive: contine",
                  line: 9, column: 23, field: "analysis.checks[0].onInconclusive", hint: "did you mean 'continue'?"),
        Malformed(what: "analysis onInconclusive that is a failure action", replacing: "  checks:", with: "  onInconclusive: rollback\n  checks:",
                  line: 6, column: 19, field: "analysis.onInconclusive", hint: "must be halt, pause or continue"),
        Malformed(what: "dryRun not a boolean", replacing: "denominator: b}", with: "denominator: b}\n      dryRun: sometimes",
                  line: 9, column: 15, field: "analysis.checks[0].dryRun", hint: "must be true or false"),
        Malformed(what: "every check a dry run", replacing: "denominator: b}", with: "denominator: b}\n      dryRun: true",
                  line: 7, column: 5, field: "analysis.checks", hint: "at least one check must be enforced"),
        Malformed(what: "onFail misspelt", replacing: "denominator: b}", with: "denominator: b}\n      onFail: rollbak",
                  line: 9, column: 15, field: "analysis.checks[0].onFail", hint: "did you mean 'rollback'?"),
        Malformed(what: "worseWhen misspelt", replacing: "denominator: b}", with: "denominator: b}\n      worseWhen: hgher",
                  line: 9, column: 18, field: "analysis.checks[0].worseWhen", hint: "must be higher or lower"),
        Malformed(what: "negative tolerance", replacing: "denominator: b}", with: "denominator: b}\n      tolerance: {relative: -0.1}",
                  line: 9, column: 29, field: "analysis.checks[0].tolerance.relative", hint: "zero or more"),
        Malformed(what: "design factor at the tolerance itself", replacing: "denominator: b}", with: "denominator: b}\n      designFactor: 1",
                  line: 9, column: 21, field: "analysis.checks[0].designFactor", hint: "greater than 1, such as 1.5"),
        Malformed(what: "quantile outside (0, 1)", replacing: "ratio: {numerator: a, denominator: b}", with: "histogram: {metric: m, quantile: 99}",
                  line: 8, column: 40, field: "analysis.checks[0].histogram.quantile", hint: "strictly between 0 and 1"),
        Malformed(what: "span status other than error", replacing: "ratio: {numerator: a, denominator: b}", with: "spans: {name: s, failedWhen: [{status: warn}]}",
                  line: 8, column: 46, field: "analysis.checks[0].spans.failedWhen[0].status", hint: "must be 'error'"),
        Malformed(what: "webhook that is not http", replacing: "denominator: b}\n", with: "denominator: b}\nnotify:\n  - webhook: {url: ftp://x}\n",
                  line: 10, column: 20, field: "notify[0].webhook.url", hint: "must be an http:// or https:// URL"),
        Malformed(what: "webhook format misspelt", replacing: "denominator: b}\n", with: "denominator: b}\nnotify:\n  - webhook: {url: https://x, format: slak}\n",
                  line: 10, column: 39, field: "notify[0].webhook.format", hint: "did you mean 'slack'?"),
        Malformed(what: "metrics without a url", replacing: "denominator: b}\n", with: "denominator: b}\nmetrics:\n  prometheus: {timeout: 5s}\n",
                  line: 10, column: 15, field: "metrics.prometheus.url", hint: "is required, for example `url: http://prometheus:9090`"),
        Malformed(what: "metrics url that is not http", replacing: "denominator: b}\n", with: "denominator: b}\nmetrics:\n  prometheus: {url: prometheus:9090}\n",
                  line: 10, column: 21, field: "metrics.prometheus.url", hint: "must be an http:// or https:// URL"),
        Malformed(what: "prometheus label that is not a name", replacing: "denominator: b}\n", with: "denominator: b}\nmetrics:\n  prometheus: {url: http://p:9090, agentLabel: service.instance.id}\n",
                  line: 10, column: 48, field: "metrics.prometheus.agentLabel", hint: "is not a Prometheus label name"),
        Malformed(what: "authorization header in a policy", replacing: "denominator: b}\n", with: "denominator: b}\nmetrics:\n  prometheus: {url: http://p:9090, authorization: Bearer x}\n",
                  line: 10, column: 36, field: "metrics.prometheus.authorization", hint: "a secret never goes in a policy"),
        Malformed(what: "authorizationEnv holding a header", replacing: "denominator: b}\n", with: "denominator: b}\nmetrics:\n  prometheus: {url: http://p:9090, authorizationEnv: \"Bearer abc\"}\n",
                  line: 10, column: 54, field: "metrics.prometheus.authorizationEnv", hint: "must name an environment variable"),
        Malformed(what: "prometheus timeout without a unit", replacing: "denominator: b}\n", with: "denominator: b}\nmetrics:\n  prometheus: {url: http://p:9090, timeout: 10}\n",
                  line: 10, column: 45, field: "metrics.prometheus.timeout", hint: "needs a unit"),
        Malformed(what: "metrics naming no source", replacing: "denominator: b}\n", with: "denominator: b}\nmetrics: {}\n",
                  line: 9, column: 10, field: "metrics", hint: "names no source"),
        Malformed(what: "YAML that does not parse", replacing: "  - {cohort: all, percent: 100}", with: "  - {cohort: all, percent: 100",
                  line: 5, column: 9, field: "", hint: "the YAML does not parse"),
    ]

    @Test(arguments: cases)
    func pointsAtTheMistake(_ malformed: Malformed) throws {
        let error = try #require(throws: PolicyError.self) {
            try PolicyDecoder.decode(yaml: malformed.yaml, file: "p.yaml")
        }
        let diagnostic = try #require(error.diagnostics.first)
        #expect(error.diagnostics.count == 1, "\(error)")
        #expect(diagnostic.line == malformed.line)
        #expect(diagnostic.column == malformed.column)
        #expect(diagnostic.field == malformed.field)
        #expect(diagnostic.message.contains(malformed.hint), "\(diagnostic.message)")
    }

    @Test func theMinimalPolicyIsValid() throws {
        _ = try PolicyDecoder.decode(yaml: minimalPolicy, file: "p.yaml")
    }

    @Test func aPolicyMayNameItsOwnPrometheus() throws {
        let yaml = minimalPolicy + """
            metrics:
              prometheus: {url: "https://mimir.eu/prometheus", timeout: 20s, step: 10s, agentLabel: instance,
                           versionLabel: app_version, spanMetric: "calls_total", authorizationEnv: MIMIR_EU_AUTHORIZATION}

            """
        let policy = try PolicyDecoder.decode(yaml: yaml, file: "p.yaml")
        #expect(policy.metrics == MetricSourceSpec(prometheus: PrometheusSourceSpec(
            url: "https://mimir.eu/prometheus", timeoutSeconds: 20, stepSeconds: 10, agentLabel: "instance", versionLabel: "app_version",
            spanMetric: "calls_total", authorizationEnv: "MIMIR_EU_AUTHORIZATION"
        )))
        #expect(try PolicyDecoder.decode(yaml: minimalPolicy, file: "p.yaml").metrics == nil, "the server's source unless the policy names one")
    }

    @Test func reportsEveryProblemInOnePassInFileOrder() throws {
        let yaml = """
            steps:
              - {cohort: canary, percent: ten, bake: 15}
              - {cohort: all, percent: 90}
            analysis:
              alpha: 0.9
              checks: []
            """
        let error = try #require(throws: PolicyError.self) { try PolicyDecoder.decode(yaml: yaml, file: "p.yaml") }
        #expect(error.diagnostics.map(\.field) == [
            "name", "steps[0].percent", "steps[0].bake", "steps[1].percent", "analysis.alpha", "analysis.checks",
        ])
    }

    @Test func rendersLikeACompiler() {
        let diagnostic = PolicyDiagnostic(file: "p.yaml", line: 3, column: 31, field: "steps[0].percent", message: "must be a number, found 'ten'")
        #expect(diagnostic.description == "p.yaml:3:31: error: steps[0].percent: must be a number, found 'ten'")
    }

    @Test func anEmptyFileSaysWhatAPolicyNeeds() throws {
        let error = try #require(throws: PolicyError.self) { try PolicyDecoder.decode(yaml: "", file: "p.yaml") }
        #expect(error.diagnostics.first?.message.contains("needs at least name, steps and analysis") == true)
    }
}
