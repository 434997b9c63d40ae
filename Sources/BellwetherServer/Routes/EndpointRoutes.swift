import Hummingbird

/// A `RouteCollection` for one area of the API whose endpoints all share one kind of access; the
/// kind's token check is the collection's first middleware, so no route can be added without it.
struct EndpointRoutes<Context: RequestContext> {
    let access: Access
    let alsoAdmitsOperator: Bool
    let collection = RouteCollection(context: Context.self)

    /// `errors`, when given, runs outside every other middleware: the OTLP endpoints use it to
    /// answer even a missing token in the shape the OTLP specification gives errors.
    /// `sessions`, for operator routes a browser calls, also admits the dashboard's signed-in sessions.
    /// `alsoAdmitsOperator` admits the admin token as well, for the endpoints that say so.
    /// `budget`, for agent intake, sheds load once a request has shown its token.
    init(
        access: Access, tokens: AccessTokens, fleet: FleetRegistry, sessions: DashboardSessionCheck? = nil,
        errors: (any MiddlewareProtocol<Request, Response, Context>)? = nil, alsoAdmitsOperator: Bool = false,
        budget: IntakeBudgetMiddleware<Context>? = nil
    ) {
        self.access = access
        self.alsoAdmitsOperator = alsoAdmitsOperator
        if let errors { collection.add(middleware: errors) }
        collection.add(middleware: TokenAuthMiddleware<Context>(access: access, tokens: tokens, sessions: sessions, alsoAdmitsOperator: alsoAdmitsOperator))
        if access != .anyone {
            collection.add(middleware: ReadinessMiddleware<Context>(fleet: fleet))
        }
        if let budget { collection.add(middleware: budget) }
    }

    @discardableResult
    func on(_ endpoint: Endpoint, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        precondition(endpoint.access == access, "\(endpoint) needs \(endpoint.access) access but was added to the \(access) routes")
        precondition(endpoint.alsoAdmitsOperator == alsoAdmitsOperator, "\(endpoint) and its routes disagree on admitting the admin token")
        collection.on(RouterPath(endpoint.path), method: endpoint.method, use: handler)
        return self
    }
}

extension Request {
    /// The `{id}` of a rollout path.
    func rolloutID(_ context: some RequestContext) throws -> String {
        try context.parameters.require("id")
    }
}
