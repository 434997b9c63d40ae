/// The dashboard's script, served at `/dashboard/app.js`: plain JavaScript, no library, no build
/// step. It reads the JSON API, draws the charts as SVG, follows the audit log as server-sent
/// events (which also tell it when to read the rest again), and sends the operator's actions
/// with the session's CSRF token. Text goes into the page with `textContent` only, never as HTML.
enum DashboardScript {
    static let source = #"""
"use strict";
(function () {
  const TERMINAL = ["completed", "rolled-back", "aborted"];
  const SVG = "http://www.w3.org/2000/svg";
  const csrf = meta("csrf-token");
  const mode = meta("auth-mode");
  let current = new URLSearchParams(location.search).get("rollout");
  let rollout = null;
  let source = null;
  let pending = null;

  function meta(name) {
    const tag = document.querySelector(`meta[name="${name}"]`);
    return tag ? tag.content : "";
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function replace(id, ...children) {
    const node = document.getElementById(id);
    node.replaceChildren(...children.filter((child) => child !== null && child !== undefined));
  }

  function number(value) {
    if (value === null || value === undefined || !isFinite(value)) return "–";
    if (value !== 0 && (Math.abs(value) < 0.001 || Math.abs(value) >= 1e6)) return value.toExponential(2);
    return String(Number(value.toPrecision(4)));
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined || !isFinite(seconds)) return "–";
    seconds = Math.max(0, Math.round(seconds));
    if (seconds < 120) return `${seconds}s`;
    if (seconds < 7200) return `${Math.floor(seconds / 60)}m${seconds % 60 ? ` ${seconds % 60}s` : ""}`;
    return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  }

  function badge(text, kind) {
    return el("span", { class: `badge ${kind || text}` }, text);
  }

  async function api(path, options) {
    const init = Object.assign({ credentials: "same-origin", headers: { Accept: "application/json" } }, options || {});
    const response = await fetch(path, init);
    const body = await response.json().catch(() => null);
    if (response.status === 401) {
      location.reload();
    }
    if (!response.ok) {
      const error = new Error(body && body.error ? body.error.message : `HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  async function loadList() {
    const list = await api("/api/v1/rollouts");
    if (!current && list.length) current = (list.find((item) => item.active) || list[0]).id;
    if (!list.length) {
      replace("rollouts", el("p", {}, "No rollouts yet: start one with `bellwether rollout start`."));
      return;
    }
    const rows = list.map((item) => el("tr", { class: item.id === current ? "current" : "" },
      el("td", {}, el("a", { href: `/?rollout=${encodeURIComponent(item.id)}` }, item.id)),
      el("td", {}, badge(item.state.description, item.state.phase)),
      el("td", {}, `${item.stableVersion || "?"} → ${item.targetVersion}`),
      el("td", {}, item.updatedAt)));
    replace("rollouts", el("table", {},
      el("thead", {}, el("tr", {}, el("th", {}, "rollout"), el("th", {}, "state"), el("th", {}, "versions"), el("th", {}, "updated"))),
      el("tbody", {}, ...rows)));
  }

  async function refresh() {
    await loadList();
    if (!current) return;
    const base = `/api/v1/rollouts/${encodeURIComponent(current)}`;
    const [health, evaluations, exemplars] = await Promise.all([
      api(`${base}/health`), api(`${base}/evaluations`), api(`${base}/exemplars`).catch((error) => error)]);
    rollout = health.rollout;
    renderSummary(health, evaluations);
    renderActions();
    renderSteps(evaluations);
    renderCohorts(health);
    renderCharts(evaluations);
    renderVerdicts(health);
    renderExemplars(exemplars);
    if (!source) follow();
  }

  function scheduleRefresh() {
    if (pending) return;
    pending = setTimeout(() => { pending = null; refresh().catch(showError); }, 250);
  }

  function latestDecision(evaluations) {
    for (let index = evaluations.length - 1; index >= 0; index--) {
      if (evaluations[index].decision) return evaluations[index].decision;
    }
    return null;
  }

  // The control loop's last halt or rollback as the audit log has it, when the evaluation that
  // decided is not among the recorded ones.
  function auditDecision() {
    const row = document.querySelector("#audit-rows tr.event.check-failed, #audit-rows tr.event.no-data, #audit-rows tr.event.check-inconclusive");
    if (!row) return null;
    const reason = row.lastElementChild.textContent;
    return { decision: /rolling back|rollback/.test(reason) ? "rollback" : "halt", check: row.dataset.check || null, reason };
  }

  function renderSummary(health, evaluations) {
    const decision = latestDecision(evaluations) || auditDecision();
    replace("summary",
      el("h2", { id: "rollout-id" }, rollout.id),
      el("p", {}, badge(rollout.state.description, rollout.state.phase), " ", el("span", { id: "state-reason" }, rollout.reason)),
      el("p", { class: "muted" }, `policy ${rollout.policy} · ${rollout.stableVersion || "?"} → ${rollout.targetVersion}`,
        rollout.dryRun ? " · dry run" : "", ` · updated ${rollout.updatedAt}`),
      health.freeze && health.freeze.frozen ? el("p", { id: "freeze", class: "decision halt" },
        `Promotions frozen by ${health.freeze.actor} since ${health.freeze.since}: ${health.freeze.reason}`) : null,
      decision ? el("p", { id: "decision", class: `decision ${decision.decision}` },
        `Decision: ${decision.decision}`, decision.check ? ` (${decision.check})` : "", ` — ${decision.reason}`) : null);
  }

  function allowed(action) {
    const phase = rollout.state.phase;
    switch (action) {
      case "pause": return phase === "progressing";
      case "resume": return phase === "halted";
      case "promote": return phase === "progressing" || phase === "halted";
      case "abort": return !TERMINAL.includes(phase);
      case "rollback": return !TERMINAL.includes(phase) && phase !== "rolling-back";
    }
    return false;
  }

  function renderActions() {
    if (mode === "bearer") {
      replace("actions", el("p", { class: "muted" }, "Read-only: sign in in a browser to act."));
      return;
    }
    const reason = el("input", { id: "reason", type: "text", placeholder: "reason (recorded in the audit log)" });
    const result = el("span", { id: "action-result", class: "muted" });
    const buttons = ["pause", "resume", "promote", "abort", "rollback"].map((action) => {
      const button = el("button", { type: "button", id: `action-${action}`, class: action }, action);
      button.disabled = !allowed(action);
      button.addEventListener("click", () => act(action, reason.value, result));
      return button;
    });
    replace("actions", ...buttons, reason, result);
  }

  // One request at a time, pinned to the step on screen: a double click or a promote racing the
  // controller's own is refused by the server (409 stale-step) instead of skipping a step.
  let acting = false;

  async function act(action, reason, result) {
    if (acting) return;
    const step = rollout.state.step;
    const where = step ? ` at step ${step}` : "";
    if ((action === "abort" || action === "rollback" || action === "promote") && !confirm(`${action} ${rollout.id}${where}?`)) return;
    acting = true;
    const buttons = Array.from(document.querySelectorAll("#actions button"));
    buttons.forEach((button) => { button.disabled = true; });
    result.textContent = `${action}…`;
    try {
      const headers = { "Content-Type": "application/json", Accept: "application/json" };
      if (csrf) headers["X-CSRF-Token"] = csrf;
      const payload = {};
      if (reason) payload.reason = reason;
      if (step) payload.step = step;
      const answer = await api(`/api/v1/rollouts/${encodeURIComponent(rollout.id)}/${action}`, { method: "POST", headers, body: JSON.stringify(payload) });
      result.textContent = `${action}: now ${answer.state.description}`;
    } catch (error) {
      result.textContent = `${action} refused: ${error.message}`;
      buttons.forEach((button) => { button.disabled = !allowed(button.id.replace("action-", "")); });
    } finally {
      acting = false;
      scheduleRefresh();
    }
  }

  function renderSteps(evaluations) {
    const state = rollout.state;
    const reached = Math.max(0, ...evaluations.map((item) => item.step + 1), state.step || 0);
    const items = rollout.steps.map((step, index) => {
      const number = index + 1;
      let status = "pending";
      if (state.phase === "completed" || number < reached) status = "done";
      else if (number === state.step) status = state.phase === "halted" ? "halted" : "baking";
      else if (number === reached && TERMINAL.concat(["rolling-back"]).includes(state.phase)) status = state.phase;
      const own = evaluations.filter((item) => item.step === index);
      const last = own[own.length - 1];
      let bake = step.bakeSeconds ? `bake ${duration(step.bakeSeconds)}` : "no bake";
      if (last && step.bakeSeconds && status !== "done") {
        const baked = last.time - last.windowStart;
        bake += ` · baked ${duration(baked)}, ${duration(step.bakeSeconds - baked)} left`;
      }
      const decided = own.find((item) => item.decision);
      return el("li", { class: `step ${status}` },
        el("strong", {}, `Step ${number}: ${step.cohort} (${step.percent}%)`), " ", badge(status),
        el("div", { class: "muted" }, bake),
        decided ? el("div", { class: "decision" }, `${decided.decision.decision}: ${decided.decision.reason}`) : null);
    });
    replace("steps", ...items);
  }

  function renderCohorts(health) {
    if (!health.cohorts.length) {
      replace("cohorts", el("p", { class: "muted" }, `No cohorts: the rollout is ${rollout.state.description}, not at a step.`));
      return;
    }
    const rows = health.cohorts.map((cohort) => el("tr", { class: `cohort ${cohort.role}` },
      el("td", {}, cohort.role), el("td", {}, cohort.name), el("td", {}, cohort.agents),
      el("td", {}, `${cohort.onExpectedVersion} on ${cohort.role === "canary" ? rollout.targetVersion : (rollout.stableVersion || "stable")}`),
      el("td", { class: cohort.silent ? "warn" : "" }, cohort.silent)));
    replace("cohorts", el("table", { id: "cohort-table" },
      el("thead", {}, el("tr", {}, ...["role", "cohort", "agents", "converged", "silent"].map((name) => el("th", {}, name)))),
      el("tbody", {}, ...rows)));
  }

  function renderCharts(evaluations) {
    const byCheck = new Map();
    for (const evaluation of evaluations) {
      for (const verdict of evaluation.verdicts) {
        if (!byCheck.has(verdict.check)) byCheck.set(verdict.check, []);
        byCheck.get(verdict.check).push({ time: evaluation.time, step: evaluation.step, verdict });
      }
    }
    if (!byCheck.size) {
      replace("charts", el("p", { class: "muted" }, "No evaluations yet: the control loop judges the canary once it has converged."));
      return;
    }
    replace("charts", ...[...byCheck].map(([check, points]) => chart(check, points)));
  }

  function chart(check, points) {
    const width = 640, height = 220, left = 64, right = 12, top = 12, bottom = 28;
    const start = points[0].time, end = Math.max(points[points.length - 1].time, start + 1);
    const x = (time) => left + (time - start) / (end - start) * (width - left - right);
    const rows = points.map(({ time, step, verdict }) => {
      const base = verdict.baseline.value;
      const band = base !== null && base !== undefined && isFinite(verdict.ratioLower) && isFinite(verdict.ratioUpper)
        ? [base * verdict.ratioLower, base * verdict.ratioUpper] : null;
      const tolerated = base !== null && base !== undefined && isFinite(verdict.toleratedRatio) ? base * verdict.toleratedRatio : null;
      return { time, step, verdict: verdict.verdict, canary: verdict.canary.value, baseline: base, band, tolerated };
    });
    const values = rows.flatMap((row) => [row.canary, row.baseline, row.tolerated, ...(row.band || [])]).filter((v) => v !== null && v !== undefined && isFinite(v));
    const maximum = Math.max(...values, 0) * 1.1 || 1;
    const y = (value) => top + (1 - value / maximum) * (height - top - bottom);
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": `${check}: canary against baseline` });
    root.append(svg("line", { x1: left, x2: width - right, y1: y(0), y2: y(0), class: "axis" }));
    root.append(svg("text", { x: left - 6, y: y(maximum / 1.1) + 4, class: "tick", "text-anchor": "end" }, number(maximum / 1.1)));
    root.append(svg("text", { x: left - 6, y: y(0) + 4, class: "tick", "text-anchor": "end" }, "0"));
    root.append(svg("text", { x: left, y: height - 8, class: "tick" }, "0s"));
    root.append(svg("text", { x: width - right, y: height - 8, class: "tick", "text-anchor": "end" }, duration(end - start)));
    rows.forEach((row, index) => {
      if (index > 0 && row.step !== rows[index - 1].step) {
        root.append(svg("line", { x1: x(row.time), x2: x(row.time), y1: top, y2: y(0), class: "step-change" }));
        root.append(svg("text", { x: x(row.time) + 3, y: top + 10, class: "tick" }, `step ${row.step + 1}`));
      }
    });
    const banded = rows.filter((row) => row.band);
    if (banded.length) {
      const upper = banded.map((row) => `${x(row.time)},${y(Math.min(row.band[1], maximum))}`);
      const lower = banded.slice().reverse().map((row) => `${x(row.time)},${y(row.band[0])}`);
      root.append(svg("polygon", { points: upper.concat(lower).join(" "), class: "band" }));
    }
    const line = (key, kind) => {
      const present = rows.filter((row) => row[key] !== null && row[key] !== undefined && isFinite(row[key]));
      if (present.length) root.append(svg("polyline", { points: present.map((row) => `${x(row.time)},${y(row[key])}`).join(" "), class: kind }));
    };
    line("tolerated", "tolerance");
    line("baseline", "baseline");
    line("canary", "canary");
    for (const row of rows) {
      if (row.band) {
        root.append(svg("line", { x1: x(row.time), x2: x(row.time), y1: y(Math.min(row.band[1], maximum)), y2: y(row.band[0]), class: "whisker" }));
      }
      if (row.baseline !== null && row.baseline !== undefined && isFinite(row.baseline)) {
        root.append(svg("circle", { cx: x(row.time), cy: y(row.baseline), r: 2.5, class: "point baseline-point" }));
      }
      if (row.canary !== null && row.canary !== undefined && isFinite(row.canary)) {
        root.append(svg("circle", { cx: x(row.time), cy: y(row.canary), r: 3, class: `point ${row.verdict}` }));
      }
    }
    const last = rows[rows.length - 1];
    return el("figure", { class: "check-chart", "data-check": check },
      el("figcaption", {}, el("strong", {}, check), " ", badge(last.verdict)),
      root,
      el("div", { class: "legend" },
        el("span", { class: "key canary" }, "canary"), el("span", { class: "key baseline" }, "baseline"),
        el("span", { class: "key band" }, "canary's bounds (baseline × ratio bounds)"), el("span", { class: "key tolerance" }, "tolerated")));
  }

  function renderVerdicts(health) {
    if (!health.checks.length) {
      replace("verdicts", el("p", { class: "muted" }, "No verdicts yet."));
      return;
    }
    const rows = health.checks.map((check) => {
      const needed = check.needed;
      const still = !needed ? "–" : needed.blocker ? needed.blocker
        : `${number(needed.canaryExposure)} more canary exposure${needed.seconds !== null && needed.seconds !== undefined ? ` (~${duration(needed.seconds)})` : ""}`;
      return el("tr", { class: `verdict ${check.verdict}`, "data-check": check.check },
        el("td", {}, check.dryRun ? `${check.check} (dry run)` : check.check), el("td", {}, badge(check.verdict)),
        el("td", {}, `${number(check.canary.value)} (n ${number(check.canary.n)}, ${check.canary.agents} agents)`),
        el("td", {}, `${number(check.baseline.value)} (n ${number(check.baseline.n)}, ${check.baseline.agents} agents)`),
        el("td", {}, `${number(check.ratio)} [${number(check.ratioLower)}, ${number(check.ratioUpper)}]`),
        el("td", {}, `[${number(check.differenceLower)}, ${number(check.differenceUpper)}]`),
        el("td", {}, number(check.toleratedRatio)),
        el("td", {}, `${number(check.eValue)} / p ${number(check.pValue)}`),
        el("td", {}, check.verdict === "inconclusive" ? still : "–"),
        el("td", { class: "detail" }, check.detail));
    });
    replace("verdicts", el("table", { id: "verdict-table" },
      el("thead", {}, el("tr", {}, ...["check", "verdict", "canary", "baseline", "ratio [bounds]", "difference", "tolerated ratio", "e-value", "still needed", "evidence"].map((name) => el("th", {}, name)))),
      el("tbody", {}, ...rows)));
  }

  function renderExemplars(exemplars) {
    if (exemplars instanceof Error || !Array.isArray(exemplars)) {
      replace("exemplars", el("p", { class: "muted", id: "no-exemplars" }, "No exemplar failing traces: this controller does not record them for rollouts yet."));
      return;
    }
    if (!exemplars.length) {
      replace("exemplars", el("p", { class: "muted", id: "no-exemplars" }, "No failing traces recorded for this rollout."));
      return;
    }
    const rows = exemplars.map((item) => el("tr", {},
      el("td", { class: "mono" }, item.traceId || item.trace_id || "–"),
      el("td", {}, item.recordId || item.record_id || "–"),
      el("td", {}, item.agent || "–"),
      el("td", {}, item.exception || item.reason || "–")));
    replace("exemplars", el("table", {},
      el("thead", {}, el("tr", {}, ...["trace id", "record id", "agent", "exception"].map((name) => el("th", {}, name)))),
      el("tbody", {}, ...rows)));
  }

  function follow() {
    const rows = document.getElementById("audit-rows");
    source = new EventSource(`/api/v1/rollouts/${encodeURIComponent(current)}/events`);
    source.onopen = () => { document.getElementById("connection").textContent = "live"; };
    source.onerror = () => { document.getElementById("connection").textContent = "reconnecting…"; };
    source.onmessage = (message) => {
      const event = JSON.parse(message.data);
      const failed = event.detail && event.detail.checkFailed;
      const attributes = { class: `event ${event.kind}`, "data-id": event.id };
      if (failed) attributes["data-check"] = failed.check;
      rows.prepend(el("tr", attributes,
        el("td", {}, event.revision), el("td", {}, event.at), el("td", {}, event.kind),
        el("td", {}, badge(event.to.description, event.to.phase)), el("td", {}, event.actor), el("td", {}, event.reason)));
      document.getElementById("audit").dataset.count = rows.children.length;
      if (TERMINAL.includes(event.to.phase)) {
        source.close();
        document.getElementById("connection").textContent = "finished";
      }
      scheduleRefresh();
    };
  }

  function showError(error) {
    replace("summary", el("p", { class: "error" }, `Cannot read the controller: ${error.message}`));
  }

  const signOut = document.getElementById("sign-out");
  if (signOut) {
    signOut.addEventListener("click", async () => {
      await fetch("/dashboard/sign-out", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } });
      location.href = "/";
    });
  }

  refresh().catch(showError).finally(() => { document.body.dataset.ready = "true"; });
  setInterval(() => { if (rollout && !TERMINAL.includes(rollout.state.phase)) refresh().catch(showError); }, 5000);
})();
"""#
}
