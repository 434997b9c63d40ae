-- wrk script: heartbeats from a fleet of AGENTS distinct agents (default 100,000), in random
-- order, as `POST /api/v1/agents/heartbeat` with the agent token. Each wrk thread seeds its own
-- generator so threads do not replay the same sequence.
local agents = tonumber(os.getenv("AGENTS") or "100000")
local token = os.getenv("BELLWETHER_AGENT_TOKEN") or ""
local regions = { "eu-west", "eu-central", "us-east", "ap-south" }
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter * 7919)
end

function init(args)
  math.randomseed(seed or 1)
  wrk.method = "POST"
  wrk.path = "/api/v1/agents/heartbeat"
  wrk.headers["Content-Type"] = "application/json"
  if token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
end

function request()
  local id = math.random(0, agents - 1)
  local body = string.format(
    '{"id":"agent-%06d","version":"2.3.1","labels":{"role":"collector","region":"%s"},"healthy":true}',
    id, regions[(id % 4) + 1])
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("requests: %d, errors: %d (status %d, timeout %d)\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.errors.timeout))
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.2f ms, p99: %.2f ms, max: %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
