import Foundation
import Hummingbird

/// The dashboard's two HTML documents: the page itself (a shell the script fills from the JSON
/// API) and the sign-in form. Both load nothing from any other host, so the dashboard works on
/// an air-gapped controller, and the Content-Security-Policy forbids anything else.
enum DashboardPage {
    /// How the page was reached: decides whether it can act and whether it can sign out.
    enum Credential {
        /// A signed-in browser; the page sends this CSRF token with every action.
        case session(csrfToken: String)
        /// A bearer token (curl, a proxy adding it): the page reads, but a browser script has no token to act with.
        case bearer
        /// No admin token configured: the loopback-only controller is open.
        case open
    }

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func page(_ credential: Credential) -> String {
        let (csrf, mode): (String, String) = switch credential {
        case .session(let token): (token, "session")
        case .bearer: ("", "bearer")
        case .open: ("", "open")
        }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="csrf-token" content="\(escape(csrf))">
            <meta name="auth-mode" content="\(mode)">
            <title>Bellwether</title>
            <link rel="stylesheet" href="/dashboard/app.css">
            </head>
            <body data-ready="false">
            <header>
              <h1>Bellwether</h1>
              <span id="connection" class="muted">connecting…</span>
              \(mode == "session" ? #"<button id="sign-out" type="button">Sign out</button>"# : "")
            </header>
            <main>
              <section id="rollouts-section"><h2>Rollouts</h2><div id="rollouts">loading…</div></section>
              <section id="rollout">
                <div id="summary"></div>
                <div id="actions"></div>
                <h2>Steps</h2><ol id="steps" class="timeline"></ol>
                <h2>Cohorts</h2><div id="cohorts"></div>
                <h2>Checks: canary against baseline</h2><div id="charts"></div>
                <h2>Verdicts and their evidence</h2><div id="verdicts"></div>
                <h2>Exemplar failing traces</h2><div id="exemplars"></div>
                <h2>Audit log</h2><div id="audit"><table><thead><tr><th>#</th><th>time</th><th>event</th><th>state</th><th>by</th><th>reason</th></tr></thead><tbody id="audit-rows"></tbody></table></div>
              </section>
            </main>
            <script src="/dashboard/app.js"></script>
            </body>
            </html>

            """
    }

    static func signIn(message: String?) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Bellwether: sign in</title>
        <link rel="stylesheet" href="/dashboard/app.css">
        </head>
        <body class="sign-in">
        <form method="post" action="/dashboard/sign-in">
          <h1>Bellwether</h1>
          <p>Sign in with the controller's admin token (<code>BELLWETHER_ADMIN_TOKEN</code>).</p>
          \(message.map { #"<p class="error" id="sign-in-error">\#(escape($0))</p>"# } ?? "")
          <input type="password" name="token" autocomplete="current-password" placeholder="admin token" required autofocus>
          <button type="submit">Sign in</button>
        </form>
        </body>
        </html>

        """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    /// An HTML or asset response that no cache keeps (the page carries a CSRF token) and no frame embeds.
    static func response(_ body: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        response(body, contentType: "text/html; charset=utf-8", status: status)
    }
}
