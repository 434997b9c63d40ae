"""A small fleet of agents managed through OpAMP, as the OpenTelemetry Python packages build them.

Each agent is an `opentelemetry-opamp-client` OpAMPAgent (HTTP, the client's default capabilities:
it accepts remote configuration and reports its status) plus an OpenTelemetry SDK MeterProvider
whose resource names the agent and the version it runs. The agent learns its desired version from
the `bellwether` remote config file (JSON: {"version": ..., "artifact": ...}). When that version
differs from its own it reports APPLYING, "installs" it the way a real agent upgrade goes (the old
process says AgentDisconnect and stops; a new one starts with the new `service.version`, a new
instance uid and counters from zero) and the new instance reports APPLIED.

Driven line by line on standard input, so the test decides when work happens:
  work      every agent processes --records records; a share of them fail enrichment at the rate
            its version has in --failure-rate (exactly: records * rate), and its metrics are
            exported (OTLP/HTTP, cumulative) before the line `worked` is printed
  quit      every agent disconnects; the process exits
It prints `ready` once every agent has had its first OpAMP answer, and `installed AGENT VERSION`
after each upgrade. Errors go to standard error; the exit status is 1 if an export failed.
"""
import argparse
import json
import logging
import queue
import sys
import threading

from opentelemetry._opamp.agent import OpAMPAgent
from opentelemetry._opamp.callbacks import OpAMPCallbacks
from opentelemetry._opamp.client import OpAMPClient
from opentelemetry._opamp.proto import opamp_pb2
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource

# The exporter that notes failed exports, and the failures it noted, shared with otel_agent.py.
from otel_agent import CheckedMetricExporter, failures

CONFIG_FILE = "bellwether"
output_lock = threading.Lock()


def say(line):
    with output_lock:
        print(line, flush=True)


class Agent(OpAMPCallbacks):
    """One agent process: its OpAMP connection and its telemetry, replaced together on upgrade."""

    def __init__(self, fleet, agent_id, version, region):
        self.fleet = fleet
        self.id = agent_id
        self.region = region
        self.lock = threading.Lock()
        self.connected = threading.Event()
        self.start(version)

    def start(self, version):
        self.version = version
        args = self.fleet.args
        resource = Resource.create({"service.name": "collector", "service.instance.id": self.id, "service.version": version})
        exporter = CheckedMetricExporter(endpoint=args.server + "/v1/metrics", headers={"Authorization": f"Bearer {args.token}"})
        # Exports only when flushed: the test decides when work is reported.
        self.meters = MeterProvider(resource=resource, metric_readers=[PeriodicExportingMetricReader(exporter, export_interval_millis=3_600_000)])
        meter = self.meters.get_meter("agent.data")
        self.processed = meter.create_counter("agent.data.records_processed_total")
        self.failed = meter.create_counter("agent.data.enrichment_failures_total")
        self.client = OpAMPClient(
            endpoint=args.server + "/v1/opamp",
            headers={"Authorization": f"Bearer {args.token}"},
            agent_identifying_attributes={"service.name": "collector", "service.instance.id": self.id, "service.version": version},
            agent_non_identifying_attributes={"role": "collector", "region": self.region},
        )
        self.opamp = OpAMPAgent(interval=args.interval, callbacks=self, client=self.client, initial_backoff=0.05)
        self.opamp.start()

    def work(self, records):
        with self.lock:
            rate = self.fleet.failure_rate.get(self.version, 0.0)
            failed = int(round(records * rate))
            self.processed.add(records)
            self.failed.add(failed)
            self.meters.force_flush()

    def install(self, version):
        with self.lock:
            self.opamp.stop()
            self.meters.shutdown()
            self.connected = threading.Event()
            self.start(version)
        # Once the new instance's first report has been answered, the server knows its version.
        if not self.connected.wait(timeout=30):
            failures.append(f"{self.id} {version} never reached the OpAMP server")
        say(f"installed {self.id} {version}")

    # OpAMP callbacks, on the client's worker thread.
    def on_connect(self, agent, client):
        self.connected.set()

    def on_message(self, agent, client, message):
        if message.remote_config is None:
            return
        config_hash = message.remote_config.config_hash
        try:
            configs = dict(client.decode_remote_config(message.remote_config))
            desired = configs[CONFIG_FILE]["version"]
        except Exception as error:  # a config we cannot use is reported, not ignored
            self.report(agent, client, config_hash, opamp_pb2.RemoteConfigStatuses_FAILED, str(error))
            return
        if desired == client_version(client):
            self.report(agent, client, config_hash, opamp_pb2.RemoteConfigStatuses_APPLIED)
        else:
            self.report(agent, client, config_hash, opamp_pb2.RemoteConfigStatuses_APPLYING)
            self.fleet.installs.put((self, desired))

    @staticmethod
    def report(agent, client, config_hash, status, error=""):
        changed = client.update_remote_config_status(remote_config_hash=config_hash, status=status, error_message=error)
        if changed is not None:
            agent.send(client.build_remote_config_status_response_message(changed))


def client_version(client):
    for pair in client._agent_description.identifying_attributes:
        if pair.key == "service.version":
            return pair.value.string_value
    return None


class Fleet:
    def __init__(self, args):
        self.args = args
        self.failure_rate = {version: float(rate) for version, rate in (entry.split("=") for entry in args.failure_rate)}
        self.installs = queue.Queue()
        # Upgrades run here, not on an agent's own OpAMP thread, which stopping the agent joins.
        threading.Thread(target=self.install_loop, daemon=True).start()
        self.agents = [Agent(self, f"{args.prefix}-{index}", args.version, ("eu", "us")[index % 2]) for index in range(args.agents)]

    def install_loop(self):
        while True:
            agent, version = self.installs.get()
            if agent.version != version:
                agent.install(version)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--agents", type=int, default=8)
    parser.add_argument("--prefix", default="opamp-agent")
    parser.add_argument("--version", required=True)
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between OpAMP polls")
    parser.add_argument("--failure-rate", nargs="*", default=[], help="VERSION=RATE ...")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    fleet = Fleet(args)
    for agent in fleet.agents:
        if not agent.connected.wait(timeout=30):
            print(f"{agent.id} never reached the OpAMP server", file=sys.stderr)
            sys.exit(1)
    say("ready")
    for line in sys.stdin:
        command = line.strip()
        if command == "work":
            for agent in fleet.agents:
                agent.work(args.records)
            say("worked")
        elif command == "quit":
            break
    for agent in fleet.agents:
        agent.opamp.stop()
        agent.meters.shutdown()
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
