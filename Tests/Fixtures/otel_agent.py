"""An agent instrumented as Bellwether's users instrument theirs, with the OpenTelemetry Python SDK.

It processes `--batches` batches of `--records` records, alternating record types `invoice` and
`order`. Each record is a `process_data_record` span with `record.id` and `record.type`, counted in
`agent.data.records_processed_total` and timed in `agent.data.processing_duration_seconds`. Records
of the `--fail` type come out incomplete: the span gets `data.incomplete=true` and a recorded
exception, and `agent.data.enrichment_failures_total` counts them.

Everything is exported with the SDK's OTLP/HTTP exporters, configured by the SDK's own environment
variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_COMPRESSION,
OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE). Each batch ends with a flush, so every batch is
exported whatever the export interval; the script exits 1 if any export failed.

With `--serve` it processes a batch each time a line `batch` arrives on standard input and
answers `flushed N` on standard output once the batch is exported, until standard input closes:
a test drives it batch by batch, in step with a controller's manual clock, and an upgrade is a
restart with another `--version`, as for a real agent.
"""
import argparse
import sys

from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricExportResult, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExportResult

failures = []


class CheckedSpanExporter(OTLPSpanExporter):
    def export(self, spans):
        result = super().export(spans)
        if result != SpanExportResult.SUCCESS:
            failures.append(f"span export: {result}")
        return result


class CheckedMetricExporter(OTLPMetricExporter):
    def export(self, metrics_data, timeout_millis=10_000, **kwargs):
        result = super().export(metrics_data, timeout_millis=timeout_millis, **kwargs)
        if result != MetricExportResult.SUCCESS:
            failures.append(f"metric export: {result}")
        return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agent", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--batches", type=int, default=2)
    parser.add_argument("--records", type=int, default=10)
    parser.add_argument("--fail", default=None, help="the record type whose enrichment fails")
    parser.add_argument("--serve", action="store_true", help="one batch per `batch` line on standard input")
    args = parser.parse_args()

    resource = Resource.create({
        "service.name": "collector",
        "service.instance.id": args.agent,
        "service.version": args.version,
    })
    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(BatchSpanProcessor(CheckedSpanExporter()))
    meter_provider = MeterProvider(resource=resource, metric_readers=[PeriodicExportingMetricReader(CheckedMetricExporter())])
    tracer = tracer_provider.get_tracer("agent.data")
    meter = meter_provider.get_meter("agent.data")
    processed = meter.create_counter("agent.data.records_processed_total")
    enrichment_failures = meter.create_counter("agent.data.enrichment_failures_total")
    duration = meter.create_histogram("agent.data.processing_duration_seconds", unit="s")

    def process(batch):
        for index in range(args.records):
            record_type = ("invoice", "order")[index % 2]
            with tracer.start_as_current_span("process_data_record") as span:
                span.set_attribute("record.id", f"{args.agent}-{batch}-{index}")
                span.set_attribute("record.type", record_type)
                if record_type == args.fail:
                    span.set_attribute("data.incomplete", True)
                    span.record_exception(KeyError("region"))
                    enrichment_failures.add(1, {"record.type": record_type})
                processed.add(1, {"record.type": record_type})
                duration.record(0.01 * (index % 5 + 1), {"record.type": record_type})
        tracer_provider.force_flush()
        meter_provider.force_flush()

    if args.serve:
        batch = 0
        for line in sys.stdin:
            if line.strip() != "batch":
                continue
            process(batch)
            batch += 1
            print(f"flushed {batch}", flush=True)
    else:
        for batch in range(args.batches):
            process(batch)

    tracer_provider.shutdown()
    meter_provider.shutdown()
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
