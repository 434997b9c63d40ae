#!/usr/bin/env python3
"""Simulated collectors behind an OpenTelemetry Collector's Prometheus exporter, for the
real-Prometheus rollout test.

Every agent heartbeats a running `bellwether serve` with the agent protocol and installs the
version it is told to run (its counters then start again from zero, as a restarted process's do).
Their metrics are served on one /metrics endpoint with the official Prometheus client library,
named and labelled as the Collector's `prometheus` exporter writes OpenTelemetry metrics with
`resource_to_telemetry_conversion` enabled (`service_instance_id`, `service_version`), and spans
as its spanmetrics connector counts them (`traces_span_metrics_calls_total` by `span_name` and
`status_code`).

Prints `metrics on HOST:PORT` once the endpoint serves; stops when standard input closes.
"""
import argparse
import json
import random
import sys
import threading
import time
import urllib.request

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server

LABELS = ["service_instance_id", "service_version"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True, help="bellwether serve's base URL")
    parser.add_argument("--agent-token", required=True)
    parser.add_argument("--agents", type=int, default=8)
    parser.add_argument("--version", required=True, help="the version every agent runs at first")
    parser.add_argument("--fail", action="append", default=[], metavar="VERSION=RATE",
                        help="enrichment failure probability of a version (default 0.01)")
    parser.add_argument("--records-per-second", type=float, default=1000)
    parser.add_argument("--heartbeat-seconds", type=float, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    failure_rate = {v: float(r) for v, r in (entry.split("=", 1) for entry in args.fail)}

    registry = CollectorRegistry()
    records = Counter("agent_data_records_processed", "Records processed", LABELS, registry=registry)
    failures = Counter("agent_data_enrichment_failures", "Records whose enrichment failed", LABELS, registry=registry)
    duration = Histogram("agent_data_processing_duration_seconds", "Processing time per record", LABELS,
                         buckets=[0.001, 0.005, 0.01, 0.05, 0.1], registry=registry)
    calls = Counter("traces_span_metrics_calls", "Spans, as the spanmetrics connector counts them",
                    LABELS + ["span_name", "status_code"], registry=registry)
    server, _ = start_http_server(0, addr="127.0.0.1", registry=registry)
    print(f"metrics on 127.0.0.1:{server.server_port}", flush=True)

    rng = random.Random(args.seed)
    lock = threading.Lock()
    versions = {f"agent-{i:03d}": args.version for i in range(args.agents)}
    stop = threading.Event()

    def install(agent, old, new):
        # A restart: the old version's series go away, the new version's start from zero.
        for metric in (records, failures, duration):
            try:
                metric.remove(agent, old)
            except KeyError:
                pass
        for status in ("STATUS_CODE_UNSET", "STATUS_CODE_ERROR"):
            try:
                calls.remove(agent, old, "process_data_record", status)
            except KeyError:
                pass
        versions[agent] = new

    def heartbeats():
        while not stop.is_set():
            for agent in list(versions):
                body = json.dumps({"id": agent, "version": versions[agent], "labels": {"role": "collector"}}).encode()
                request = urllib.request.Request(args.server + "/api/v1/agents/heartbeat", data=body, method="POST", headers={
                    "Content-Type": "application/json", "Authorization": f"Bearer {args.agent_token}"})
                try:
                    with urllib.request.urlopen(request, timeout=5) as response:
                        desired = json.load(response)["desiredVersion"]
                except OSError as error:
                    print(f"heartbeat of {agent} failed: {error}", file=sys.stderr, flush=True)
                    continue
                with lock:
                    if desired != versions[agent]:
                        install(agent, versions[agent], desired)
            stop.wait(args.heartbeat_seconds)

    def work():
        tick = 0.1
        while not stop.is_set():
            with lock:
                for agent, version in versions.items():
                    rate = failure_rate.get(version, 0.01)
                    count = int(args.records_per_second * tick)
                    failed = sum(1 for _ in range(count) if rng.random() < rate)
                    records.labels(agent, version).inc(count)
                    if failed:
                        failures.labels(agent, version).inc(failed)
                    calls.labels(agent, version, "process_data_record", "STATUS_CODE_UNSET").inc(count - failed)
                    if failed:
                        calls.labels(agent, version, "process_data_record", "STATUS_CODE_ERROR").inc(failed)
                    duration.labels(agent, version).observe(0.002 + rng.random() * 0.004)
            stop.wait(tick)

    threads = [threading.Thread(target=heartbeats, daemon=True), threading.Thread(target=work, daemon=True)]
    for thread in threads:
        thread.start()
    sys.stdin.read()
    stop.set()


if __name__ == "__main__":
    main()
