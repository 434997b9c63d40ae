import Hummingbird
import HummingbirdCore
import NIOCore
import Logging
import ServiceLifecycle

/// The router with every endpoint of `Endpoint`, for tests (`app.test(.router)`) and for
/// `buildApplication`. Errors of every route come out in the API's one JSON shape.
public func buildRouter(configuration: ServerConfiguration, components: ServerComponents) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    let tokens = configuration.accessTokens
    router.addRoutes(ProbeRoutes.routes(fleet: components.fleet, tokens: tokens))
    router.addRoutes(AgentRoutes.routes(configuration: configuration, components: components))
    router.addRoutes(OTLPRoutes.routes(configuration: configuration, components: components))
    router.addRoutes(OpAMPRoutes.routes(configuration: configuration, components: components))
    router.addRoutes(DeployRoutes.routes(configuration: configuration, components: components))
    router.addRoutes(RolloutRoutes.routes(configuration: configuration, components: components))
    router.addRoutes(FleetRoutes.routes(configuration: configuration, components: components))
    router.addRoutes(FreezeRoutes.routes(configuration: configuration, components: components))
    router.addRoutes(ClockRoutes.routes(configuration: configuration, components: components))
    router.addRoutes(DashboardRoutes.routes(configuration: configuration, components: components))
    router.addRoutes(MetricsRoutes.routes(configuration: configuration, components: components))
    return router
}

/// The router of the `--otlp-listen` listener: the OTLP endpoints alone, sharing the main
/// listener's receiver, so an agent's data adds up whichever port it reaches.
func buildOTLPRouter(configuration: ServerConfiguration, components: ServerComponents) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.addRoutes(OTLPRoutes.routes(configuration: configuration, components: components))
    return router
}

/// The whole server: the router on `configuration.listen`, plus the services that load the fleet,
/// flush heartbeats, wake event streams, and whatever `components.services` adds (the control
/// loop). Run it with `runService()`; SIGTERM or SIGINT shut it down gracefully: the listener
/// stops, in-flight requests finish, event streams end, the last heartbeats are written.
///
/// `onListening` is told the bound address once the server accepts connections: with port 0 it
/// is the only way to learn the port. `onOTLPListening` is told the `--otlp-listen` listener's.
public func buildApplication(
    configuration: ServerConfiguration,
    components: ServerComponents,
    logger: Logger = Logger(label: "bellwether"),
    onListening: @escaping @Sendable (ListenAddress) async -> Void = { _ in },
    onOTLPListening: @escaping @Sendable (ListenAddress) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    try configuration.validate()
    let server = HTTPServerBuilder.http1(configuration: .init(idleTimeout: TimeAmount(configuration.connectionIdleTimeout)))
    let fleet = components.fleet
    let bell = components.bell
    let clock = ContinuousClock()
    // Started in this order and stopped in reverse, after the HTTP server Hummingbird adds last:
    // requests have finished before the final heartbeat flush, which runs before the loader ends.
    var services: [any Service] = [
        FleetLoader(fleet: fleet),
        PeriodicService(interval: configuration.heartbeatFlushInterval, clock: clock) { await fleet.flushLoggingFailure() },
        PeriodicService(interval: configuration.otlpFlushInterval, clock: clock) {
            components.otlp.flushLoggingFailure(to: components.store, logger: logger)
        },
        PeriodicService(interval: configuration.eventPollInterval, clock: clock) { bell.ring() },
        PeriodicService(interval: configuration.telemetryPruneInterval, clock: clock) {
            TelemetryRetention(store: components.store, retention: configuration.telemetryRetentionSeconds, now: components.now).pruneLoggingFailure()
            components.otlp.forgetDepartedAgents(now: components.now().timeIntervalSince1970)
            await SilentAgentForgetting(
                store: components.store, fleet: fleet, after: configuration.forgetSilentAgentsAfterSeconds, now: components.now
            ).forgetLoggingFailure()
        },
    ] + components.services
    if let otlp = configuration.otlpListen {
        // Last, so it stops first, with the main listener, before the final heartbeat flush.
        services.append(Application(
            router: buildOTLPRouter(configuration: configuration, components: components),
            server: server,
            configuration: .init(address: .hostname(otlp.host, port: otlp.port), serverName: "bellwether"),
            onServerRunning: { channel in
                await onOTLPListening(ListenAddress(host: otlp.host, port: channel.localAddress?.port ?? otlp.port))
            },
            logger: logger
        ))
    }
    let host = configuration.listen.host
    return Application(
        router: buildRouter(configuration: configuration, components: components),
        server: server,
        configuration: .init(address: .hostname(host, port: configuration.listen.port), serverName: "bellwether"),
        services: services,
        onServerRunning: { channel in
            await onListening(ListenAddress(host: host, port: channel.localAddress?.port ?? configuration.listen.port))
        },
        logger: logger
    )
}
