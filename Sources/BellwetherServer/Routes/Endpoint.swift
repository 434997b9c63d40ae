import BellwetherCore
import Hummingbird

/// Every endpoint the server answers, with its method, path and who may call it: the route table
/// as data, so the routes are registered from it and tests can walk it (every operator endpoint
/// must refuse a request without the admin token).
public enum Endpoint: String, Sendable, Hashable, CaseIterable {
    case liveness, readiness
    case heartbeat, observations
    case otlpMetrics, otlpTraces
    case opamp
    case listRollouts, startRollout, getRollout
    case pauseRollout, resumeRollout, promoteRollout, abortRollout, rollbackRollout
    case rolloutEvents, rolloutHealth, rolloutEvaluations, rolloutDeployments, rolloutExemplars
    case listAgents
    case getFreeze, setFreeze
    case advanceClock
    case metrics
    case dashboard, dashboardScript, dashboardStyle, dashboardSignInForm, dashboardSignIn, dashboardSignOut, createSignInLink

    public var method: HTTPRequest.Method {
        switch self {
        case .liveness, .readiness, .listRollouts, .getRollout, .rolloutEvents, .rolloutHealth, .rolloutEvaluations, .rolloutDeployments, .rolloutExemplars, .listAgents, .metrics,
             .dashboard, .dashboardScript, .dashboardStyle, .dashboardSignInForm: .get
        case .heartbeat, .observations, .otlpMetrics, .otlpTraces, .opamp, .startRollout, .pauseRollout, .resumeRollout, .promoteRollout, .abortRollout, .rollbackRollout, .advanceClock,
             .dashboardSignIn, .dashboardSignOut, .createSignInLink: .post
        case .getFreeze: .get
        case .setFreeze: .post
        }
    }

    /// The path as in the interface document; `{id}` is a rollout id.
    public var path: String {
        switch self {
        case .liveness: "/healthz"
        case .readiness: "/readyz"
        case .heartbeat: "/api/v1/agents/heartbeat"
        case .observations: "/api/v1/observations"
        case .otlpMetrics: "/v1/metrics"
        case .otlpTraces: "/v1/traces"
        case .opamp: "/v1/opamp"
        case .listRollouts, .startRollout: "/api/v1/rollouts"
        case .getRollout: "/api/v1/rollouts/{id}"
        case .pauseRollout, .resumeRollout, .promoteRollout, .abortRollout, .rollbackRollout:
            "/api/v1/rollouts/{id}/\(manualAction!.rawValue)"
        case .rolloutEvents: "/api/v1/rollouts/{id}/events"
        case .rolloutHealth: "/api/v1/rollouts/{id}/health"
        case .rolloutEvaluations: "/api/v1/rollouts/{id}/evaluations"
        case .rolloutDeployments: "/api/v1/rollouts/{id}/deployments"
        case .rolloutExemplars: "/api/v1/rollouts/{id}/exemplars"
        case .listAgents: "/api/v1/agents"
        case .getFreeze, .setFreeze: "/api/v1/freeze"
        case .advanceClock: "/api/v1/clock/advance"
        case .dashboard: "/"
        case .dashboardScript: "/dashboard/app.js"
        case .dashboardStyle: "/dashboard/app.css"
        case .dashboardSignInForm, .dashboardSignIn: "/dashboard/sign-in"
        case .dashboardSignOut: "/dashboard/sign-out"
        case .createSignInLink: "/api/v1/dashboard/sign-in-links"
        case .metrics: "/metrics"
        }
    }

    public var access: Access {
        switch self {
        // Prometheus scrapes without credentials, as it expects to.
        case .liveness, .readiness, .metrics: .anyone
        case .heartbeat, .observations, .otlpMetrics, .otlpTraces, .opamp: .agent
        // The page's code and style hold nothing secret; signing in is how a browser gets access.
        case .dashboardScript, .dashboardStyle, .dashboardSignInForm, .dashboardSignIn: .anyone
        default: .operator
        }
    }

    /// Agent endpoints that operators may call too. Observations posted with the admin token keep
    /// the times they carry (backfills, replays of an incident); an agent's are stamped with the
    /// server's clock, so a compromised agent cannot write into a past or future analysis window.
    public var alsoAdmitsOperator: Bool {
        self == .observations
    }

    /// OTLP/HTTP endpoints answer errors as the OTLP specification says (a `google.rpc.Status`
    /// body), not in the API's JSON shape: exporters parse nothing else.
    public var isOTLP: Bool {
        self == .otlpMetrics || self == .otlpTraces
    }

    /// The operator command behind a manual-action endpoint.
    public var manualAction: ManualAction? {
        switch self {
        case .pauseRollout: .pause
        case .resumeRollout: .resume
        case .promoteRollout: .promote
        case .abortRollout: .abort
        case .rollbackRollout: .rollback
        default: nil
        }
    }
}
