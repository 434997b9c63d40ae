import BellwetherAPI
import BellwetherCore
import BellwetherTestSupport
import Foundation
import Testing

/// The dashboard in a real browser: Debian's headless chromium, driven over the DevTools protocol
/// by `Tests/Fixtures/headless_browser.py`, signs in with a one-time link minted with the admin
/// token, renders a rollout halted by a failing check, and follows a resume live through
/// server-sent events. The screenshot lands in `artifacts/dashboard.png`.
@Suite struct DashboardBrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let driver = root.appendingPathComponent("Tests/Fixtures/headless_browser.py").path
    static let chromium = "/usr/bin/chromium"

    @Test func theDashboardShowsAHaltedRolloutItsCohortsAndVerdictAndFollowsItLive() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.chromium), "Debian's chromium is not installed: run scripts/test, which installs it")
        let bellwether = try ProductProcess()
        let rollout = try await HaltedRollout(bellwether)
        defer { rollout.server.stop() }
        let events = try await rollout.get([AuditEventView].self, "/api/v1/rollouts/\(rollout.id)/events")

        let (status, answer) = try await rollout.server.request("POST", "/api/v1/dashboard/sign-in-links", token: HaltedRollout.adminToken)
        try #require(status == 201, "\(String(decoding: answer, as: UTF8.self))")
        let link = try #require(try JSONSerialization.jsonObject(with: answer) as? [String: Any])["path"] as? String
        let url = rollout.server.url + (link ?? "") + "&rollout=\(rollout.id)"

        let artifacts = Self.root.appendingPathComponent("artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let dom = artifacts.appendingPathComponent("dashboard.html").path
        let liveDOM = artifacts.appendingPathComponent("dashboard-after-resume.html").path
        let screenshot = artifacts.appendingPathComponent("dashboard.png").path
        for file in [dom, liveDOM, screenshot] { try? FileManager.default.removeItem(atPath: file) }

        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        browser.arguments = [
            "python3", Self.driver, "--chromium", Self.chromium, "--url", url,
            "--ready", ##"document.body.dataset.ready === "true" && document.querySelectorAll("#audit-rows tr").length >= \##(events.count) && document.querySelector("#decision")"##,
            "--dom", dom, "--screenshot", screenshot,
            "--then", ##"document.querySelector("#audit-rows tr.event.resume") && document.querySelector("#summary .badge.progressing")"##,
            "--then-dom", liveDOM,
        ]
        let input = Pipe(), output = Pipe()
        browser.standardInput = input
        browser.standardOutput = output
        browser.standardError = FileHandle.standardError
        try browser.run()
        defer { if browser.isRunning { browser.terminate() } }
        var lines = LineReader(output.fileHandleForReading)

        let ready = lines.next()
        try #require(ready == "ready", "the browser said: \(ready ?? "nothing")")
        let page = try String(contentsOfFile: dom, encoding: .utf8)
        #expect(page.contains(#"<h2 id="rollout-id">\#(rollout.id)</h2>"#), "the rollout is shown")
        #expect(page.contains(#"class="badge halted">halted(step 1)"#), "its state")
        #expect(page.contains(#"<tr class="cohort canary"><td>canary</td><td>canary</td>"#), "the canary cohort")
        #expect(page.contains(#"<tr class="cohort baseline"><td>baseline</td>"#), "the baseline cohort")
        // The check's latest recorded verdict is the one the halt came from.
        #expect(page.contains(#"data-check="\#(HaltedRollout.check)"><td>\#(HaltedRollout.check)</td><td><span class="badge fail">fail</span>"#), "the check's failing verdict")
        #expect(page.contains(#"class="check-chart" data-check="\#(HaltedRollout.check)""#), "the check's chart")
        #expect(page.contains(#"<polygon"#), "the chart draws the confidence band")
        #expect(page.contains("Decision: halt (\(HaltedRollout.check))"), "the decision and the check that made it")
        #expect(page.contains(#"<tr class="event check-failed""#), "the audit log, read from the event stream")
        #expect(page.contains(#"id="action-resume""#) && !page.contains(#"id="action-resume" class="resume" disabled"#), "resume is offered")
        #expect(page.contains(#"id="no-exemplars""#), "the exemplar section says it has none")
        #expect(FileManager.default.fileExists(atPath: screenshot))

        // An operator resumes from the command line; the open page hears it through its event stream.
        let resumed = try rollout.cli(bellwether, ["rollout", "resume", rollout.id, "--reason", "checked the canary by hand"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        input.fileHandleForWriting.write(Data("resumed\n".utf8))
        let done = lines.next()
        #expect(done == "done", "the page did not show the resume: \(done ?? "nothing")")
        let live = try String(contentsOfFile: liveDOM, encoding: .utf8)
        #expect(live.contains("checked the canary by hand"), "the resume's reason reached the page")
        browser.waitUntilExit()
        #expect(browser.terminationStatus == 0)
    }
}
