import BellwetherAPI
import Foundation
import Hummingbird

/// The web dashboard: the page at `/`, its script and style, and signing in and out.
///
/// The page reads and acts through the same JSON API as the command line (`/api/v1/...`), which
/// admits a signed-in browser by its session cookie (writes only with the session's CSRF token).
/// Signing in takes the admin token in a form, or a one-time link minted with it
/// (`POST /api/v1/dashboard/sign-in-links`), and answers an HttpOnly, SameSite=Strict cookie.
enum DashboardRoutes {
    /// A sign-in form body.
    struct SignInForm: Decodable {
        var token: String
    }

    /// `POST /api/v1/dashboard/sign-in-links`: a path to open in a browser, once, before `expiresAt`.
    struct SignInLink: Encodable {
        var path: String
        var expiresAt: Date
    }

    static func routes<Context: RequestContext>(configuration: ServerConfiguration, components: ServerComponents) -> RouteCollection<Context> {
        let tokens = configuration.accessTokens
        let check = components.sessionCheck
        let sessions = components.sessions
        let collection = RouteCollection(context: Context.self)

        let page = EndpointRoutes<Context>(
            access: .operator, tokens: tokens, fleet: components.fleet, sessions: check, errors: SignInInsteadMiddleware<Context>()
        )
        page.on(.dashboard) { request, _ in
            let credential: DashboardPage.Credential =
                if configuration.adminToken == nil { .open }
                else if request.headers[.authorization] == nil, let session = check.session(of: request) { .session(csrfToken: session.csrfToken) }
                else { .bearer }
            return DashboardPage.html(DashboardPage.page(credential))
        }
        collection.addRoutes(page.collection)

        let operatorRoutes = EndpointRoutes<Context>(access: .operator, tokens: tokens, fleet: components.fleet, sessions: check)
        operatorRoutes.on(.dashboardSignOut) { request, context in
            if let id = request.cookies[DashboardSessions.cookieName]?.value { sessions.end(id: id) }
            var response = try JSONResponse(["signedOut": true]).response(from: request, context: context)
            response.setCookie(sessionCookie(value: "", maxAge: 0))
            return response
        }
        operatorRoutes.on(.createSignInLink) { _, _ in
            let (ticket, expires) = sessions.mintTicket(at: components.now())
            return JSONResponse(SignInLink(path: "/dashboard/sign-in?ticket=\(ticket)", expiresAt: expires), status: .created)
        }
        collection.addRoutes(operatorRoutes.collection)

        let open = EndpointRoutes<Context>(access: .anyone, tokens: tokens, fleet: components.fleet)
        open.on(.dashboardScript) { _, _ in DashboardPage.response(DashboardScript.source, contentType: "text/javascript; charset=utf-8") }
        open.on(.dashboardStyle) { _, _ in DashboardPage.response(DashboardStyle.source, contentType: "text/css; charset=utf-8") }
        open.on(.dashboardSignInForm) { request, _ in
            guard let ticket = request.uri.queryParameters["ticket"].map(String.init) else {
                return DashboardPage.html(DashboardPage.signIn(message: nil))
            }
            guard sessions.redeem(ticket: ticket, at: components.now()) else {
                return DashboardPage.html(DashboardPage.signIn(message: "This sign-in link was used already or has expired; sign in with the admin token, or make a new link."), status: .unauthorized)
            }
            return signedIn(sessions: sessions, now: components.now(), rollout: request.uri.queryParameters["rollout"].map(String.init))
        }
        open.on(.dashboardSignIn) { request, _ in
            if request.headers.first(where: { $0.name.canonicalName == "sec-fetch-site" })?.value == "cross-site" {
                return DashboardPage.html(DashboardPage.signIn(message: "Sign-in from another site is refused."), status: .forbidden)
            }
            guard let expected = configuration.adminToken else {
                return signedIn(sessions: sessions, now: components.now(), rollout: nil)
            }
            let body = try await request.body(upTo: 4096)
            let form = try? URLEncodedFormDecoder().decode(SignInForm.self, from: String(decoding: body.readableBytesView, as: UTF8.self))
            guard let form, !form.token.isEmpty else {
                return DashboardPage.html(DashboardPage.signIn(message: "Enter the admin token."), status: .badRequest)
            }
            guard TokenAuthMiddleware<Context>.equal(form.token, expected) else {
                return DashboardPage.html(DashboardPage.signIn(message: "That is not the admin token; check BELLWETHER_ADMIN_TOKEN."), status: .unauthorized)
            }
            return signedIn(sessions: sessions, now: components.now(), rollout: nil)
        }
        collection.addRoutes(open.collection)
        return collection
    }

    /// A new session: its cookie, and a redirect to the page (to one rollout when named).
    private static func signedIn(sessions: DashboardSessions, now: Date, rollout: String?) -> Response {
        let (id, _) = sessions.create(at: now)
        var location = "/"
        if let rollout, let encoded = rollout.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) {
            location += "?rollout=" + encoded
        }
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        var response = Response(status: .seeOther, headers: headers)
        response.setCookie(sessionCookie(value: id, maxAge: Int(DashboardSessions.lifetime)))
        return response
    }

    /// HttpOnly so no script reads it, SameSite=Strict so no other site's page sends it. Not
    /// `Secure`: the controller serves plain HTTP (put TLS in front of it beyond loopback).
    static func sessionCookie(value: String, maxAge: Int) -> Cookie {
        Cookie(name: DashboardSessions.cookieName, value: value, maxAge: maxAge, path: "/", httpOnly: true, sameSite: .strict)
    }
}

/// Turns the page's 401/403 into the sign-in form for a browser (a request that accepts HTML);
/// scripts and tests still get the API's JSON error.
struct SignInInsteadMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError where [.unauthorized, .forbidden].contains(error.status) {
            guard request.headers[.accept]?.contains("text/html") == true else { throw error }
            return DashboardPage.html(DashboardPage.signIn(message: nil), status: .unauthorized)
        }
    }
}
