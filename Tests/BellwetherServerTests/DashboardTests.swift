import BellwetherAPI
import BellwetherServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The dashboard's routes and its sign-in: a browser without a session is shown the sign-in
/// form, a session cookie reads but acts only with its CSRF token, sign-in links work once, and
/// the event stream the page follows admits the session and carries actions live.
@Suite struct DashboardTests {
    /// A signed-in browser: its cookie header and the CSRF token its page carries.
    struct Browser {
        var cookie: String
        var csrf: String

        func headers(csrf token: String? = nil, accept: String? = nil) -> HTTPFields {
            var headers = HTTPFields()
            headers[.cookie] = cookie
            if let token { headers[.init("X-CSRF-Token")!] = token }
            if let accept { headers[.accept] = accept }
            return headers
        }
    }

    static func form(_ token: String) -> (HTTPFields, ByteBuffer) {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        return (headers, ByteBuffer(string: "token=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")))
    }

    /// Signs in through the form and reads the page, as a browser does.
    static func signIn(_ client: some TestClientProtocol) async throws -> Browser {
        let (headers, body) = form(ServerHarness.adminToken)
        let signedIn = try await client.execute(uri: "/dashboard/sign-in", method: .post, headers: headers, body: body)
        #expect(signedIn.status == .seeOther)
        #expect(signedIn.headers[.location] == "/")
        let setCookie = try #require(signedIn.headers[.setCookie])
        let cookie = String(try #require(setCookie.split(separator: ";").first))
        var pageHeaders = HTTPFields()
        pageHeaders[.cookie] = cookie
        let page = try await client.execute(uri: "/", method: .get, headers: pageHeaders, body: nil)
        #expect(page.status == .ok)
        let csrf = try #require(page.text.firstMatch(of: /<meta name="csrf-token" content="([0-9a-f]{64})">/)?.1)
        return Browser(cookie: cookie, csrf: String(csrf))
    }

    @Test func aBrowserWithoutASessionIsShownTheSignInFormAndScriptsGetTheAPIError() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            var accept = HTTPFields()
            accept[.accept] = "text/html,application/xhtml+xml"
            let browser = try await client.execute(uri: "/", method: .get, headers: accept, body: nil)
            #expect(browser.status == .unauthorized)
            #expect(browser.text.contains(#"<form method="post" action="/dashboard/sign-in">"#))
            #expect(!browser.text.contains("csrf-token"), "nothing of the page before sign-in")
            let script = try await client.get("/", .none)
            #expect(script.status == .unauthorized)
            #expect(script.error?.code == "unauthorized")
        }
    }

    @Test func signingInSetsAnHttpOnlyStrictSessionCookieAndAWrongTokenSetsNothing() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let (headers, body) = Self.form(ServerHarness.adminToken)
            let signedIn = try await client.execute(uri: "/dashboard/sign-in", method: .post, headers: headers, body: body)
            let cookie = try #require(signedIn.headers[.setCookie])
            for attribute in ["bellwether_session=", "HttpOnly", "SameSite=Strict", "Path=/"] {
                #expect(cookie.contains(attribute), "\(cookie)")
            }
            let (_, wrongBody) = Self.form("not-the-token")
            let refused = try await client.execute(uri: "/dashboard/sign-in", method: .post, headers: headers, body: wrongBody)
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.setCookie] == nil)
            #expect(refused.text.contains("That is not the admin token"))
            let (_, agentBody) = Self.form(ServerHarness.agentToken)
            let agent = try await client.execute(uri: "/dashboard/sign-in", method: .post, headers: headers, body: agentBody)
            #expect(agent.status == .unauthorized, "the agent token signs nobody in")
            var crossSite = headers
            crossSite[.init("Sec-Fetch-Site")!] = "cross-site"
            let forged = try await client.execute(uri: "/dashboard/sign-in", method: .post, headers: crossSite, body: body)
            #expect(forged.status == .forbidden)
            #expect(forged.headers[.setCookie] == nil)
        }
    }

    @Test func aSessionReadsTheAPIButActsOnlyWithItsCSRFToken() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let id = try await client.startRollout().decode(RolloutView.self).id
            let browser = try await Self.signIn(client)
            let list = try await client.execute(uri: "/api/v1/rollouts", method: .get, headers: browser.headers(), body: nil)
            #expect(list.status == .ok)

            for csrf in [nil, "0000", String(browser.csrf.reversed())] {
                let refused = try await client.execute(uri: "/api/v1/rollouts/\(id)/pause", method: .post, headers: browser.headers(csrf: csrf), body: nil)
                #expect(refused.status == .forbidden, "CSRF token \(csrf ?? "absent")")
                #expect(refused.error?.code == "csrf-token-invalid")
            }
            let unchanged = try await client.get("/api/v1/rollouts/\(id)").decode(RolloutView.self)
            #expect(unchanged.state.description == "progressing(step 1)", "no refused request changed anything")

            let paused = try await client.execute(uri: "/api/v1/rollouts/\(id)/pause", method: .post, headers: browser.headers(csrf: browser.csrf), body: nil)
            #expect(paused.status == .ok)
            #expect(try paused.decode(RolloutView.self).state.description == "halted(step 1)")

            var forged = HTTPFields()
            forged[.cookie] = "bellwether_session=" + String(repeating: "ab", count: 32)
            forged[.init("X-CSRF-Token")!] = browser.csrf
            let unknown = try await client.execute(uri: "/api/v1/rollouts/\(id)/resume", method: .post, headers: forged, body: nil)
            #expect(unknown.status == .unauthorized, "an unknown session is no session")
        }
    }

    @Test func signingOutEndsTheSessionAndNeedsTheCSRFTokenToo() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let browser = try await Self.signIn(client)
            let refused = try await client.execute(uri: "/dashboard/sign-out", method: .post, headers: browser.headers(), body: nil)
            #expect(refused.status == .forbidden)
            let signedOut = try await client.execute(uri: "/dashboard/sign-out", method: .post, headers: browser.headers(csrf: browser.csrf), body: nil)
            #expect(signedOut.status == .ok)
            #expect(signedOut.headers[.setCookie]?.contains("Max-Age=0") == true)
            let after = try await client.execute(uri: "/api/v1/rollouts", method: .get, headers: browser.headers(), body: nil)
            #expect(after.status == .unauthorized)
        }
    }

    @Test func aSignInLinkIsMintedOnlyWithTheAdminTokenAndWorksOnce() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            #expect(try await client.post("/api/v1/dashboard/sign-in-links", .none).status == .unauthorized)
            #expect(try await client.post("/api/v1/dashboard/sign-in-links", .agent).status == .forbidden)
            let minted = try await client.post("/api/v1/dashboard/sign-in-links")
            #expect(minted.status == .created)
            let path = try #require(try JSONSerialization.jsonObject(with: Data(minted.body.readableBytesView)) as? [String: Any])["path"] as? String
            let link = try #require(path) + "&rollout=r-1"
            let first = try await client.get(link, .none)
            #expect(first.status == .seeOther)
            #expect(first.headers[.location] == "/?rollout=r-1")
            #expect(first.headers[.setCookie]?.contains("SameSite=Strict") == true)
            let again = try await client.get(link, .none)
            #expect(again.status == .unauthorized, "a link signs in once")
            #expect(again.headers[.setCookie] == nil)

        }
    }

    @Test func aLinkPastItsLifetimeSignsNobodyIn() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let minted = try await client.post("/api/v1/dashboard/sign-in-links")
            let path = try #require(try JSONSerialization.jsonObject(with: Data(minted.body.readableBytesView)) as? [String: Any])["path"] as? String
            server.clock.advance(seconds: 301)
            let late = try await client.get(try #require(path), .none)
            #expect(late.status == .unauthorized)
        }
    }

    @Test func theScriptAndStyleAreServedToAnyoneAndFetchNothingFromAnotherHost() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let browser = try await Self.signIn(client)
            let page = try await client.execute(uri: "/", method: .get, headers: browser.headers(), body: nil)
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(page.headers[.cacheControl] == "no-store")
            for (path, type) in [("/dashboard/app.js", "text/javascript"), ("/dashboard/app.css", "text/css")] {
                let asset = try await client.get(path, .none)
                #expect(asset.status == .ok)
                #expect(asset.headers[.contentType]?.hasPrefix(type) == true)
                #expect(!asset.text.isEmpty)
            }
            for text in [page.text, try await client.get("/dashboard/app.js", .none).text, try await client.get("/dashboard/app.css", .none).text] {
                let urls = text.matches(of: /https?:\/\/[^\s"'`]+/).map { String($0.0) }
                #expect(urls.allSatisfy { $0 == "http://www.w3.org/2000/svg" }, "only the SVG namespace, which is a name, not a fetch: \(urls)")
            }
        }
    }

    @Test func withoutAnAdminTokenTheLoopbackDashboardIsOpen() async throws {
        let server = try await ServerHarness(tokens: false)
        try await server.test { client in
            let page = try await client.get("/", .none)
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<meta name="auth-mode" content="open">"#))
        }
    }

    @Test func theEventStreamAdmitsASignedInPageAndCarriesAnActionLive() async throws {
        let server = try await ServerHarness { $0.eventPollInterval = .seconds(3600) }
        try await server.application().test(.live) { client in
            let id = try await client.startRollout().decode(RolloutView.self).id
            let browser = try await Self.signIn(client)
            let reader = try EventStreamReader(port: try #require(client.port), path: "/api/v1/rollouts/\(id)/events", token: nil, cookie: browser.cookie)
            defer { reader.close() }
            var events = reader.events.makeAsyncIterator()
            #expect(await events.next()?.kind == "created")
            #expect(await events.next()?.kind == "start")
            let paused = try await client.execute(
                uri: "/api/v1/rollouts/\(id)/pause", method: .post, headers: browser.headers(csrf: browser.csrf),
                body: ByteBuffer(string: #"{"reason": "from the dashboard"}"#)
            )
            #expect(paused.status == .ok)
            let event = await events.next()
            #expect(event?.kind == "pause")
            #expect(event?.reason.contains("from the dashboard") == true, "\(event?.reason ?? "")")
            // Ends the rollout, so the server ends the stream before the reader hangs up.
            _ = try await client.post("/api/v1/rollouts/\(id)/abort")
            #expect(await events.next()?.kind == "abort")
            #expect(await events.next() == nil)
        }
    }
}
