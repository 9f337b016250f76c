import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import {
  AggregationTemporality,
  PeriodicExportingMetricReader,
  type MetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import type { ResolvedConfig } from './config';
import { logger } from './logger';
import type { MetricRegistry } from './MetricRegistry';

const FAILURE_LOG_INTERVAL_MS = 60_000;

/** The periodic OTLP/HTTP push of the registry's metrics (and the MeterProvider's). */
export function createOtlpReader(config: ResolvedConfig, registry: MetricRegistry): MetricReader {
  const { endpoint, headers, intervalMillis, timeoutMillis } = config.otlp;
  // A push never outlives the next one's start, nor delays shutdown beyond one timeout.
  const deadlineMillis = Math.min(timeoutMillis, intervalMillis);
  const exporter = new OTLPMetricExporter({
    url: endpoint,
    headers: { ...headers },
    timeoutMillis: deadlineMillis,
    // The registry keeps cumulative values; OTLP receives them as they are.
    temporalityPreference: AggregationTemporality.CUMULATIVE,
  });
  return new PeriodicExportingMetricReader({
    exporter: reportingFailures(exporter, 'otlp', registry, deadlineMillis),
    exportIntervalMillis: intervalMillis,
    // Never shorter than the wrapper's deadline, so a slow collector is reported by the wrapper
    // (counted, rate-limited) and not by the reader's own timeout (logged at every interval).
    exportTimeoutMillis: intervalMillis,
    metricProducers: [registry],
  });
}

/**
 * Wraps an exporter so that a failed push, or one not answered within `deadlineMillis`, is
 * counted in `agent_telemetry_export_failures_total` and logged at most once a minute: a
 * collector that is down or slow must be visible, not noisy. The reader is then told the push
 * succeeded, because its only reaction to a failure is one more unthrottled log line.
 *
 * The deadline timer starts inside `export()`, before the reader starts its own timeout of at
 * least the same length, so on a tie Node fires the deadline first.
 */
function reportingFailures(
  exporter: PushMetricExporter,
  name: string,
  registry: MetricRegistry,
  deadlineMillis: number,
): PushMetricExporter {
  const failures = registry.metrics.agent_telemetry_export_failures_total.labels({ exporter: name });
  let lastLog = -Infinity;
  const report = (error: unknown): void => {
    failures.inc();
    const now = Date.now();
    if (now - lastLog >= FAILURE_LOG_INTERVAL_MS) {
      lastLog = now;
      logger.error(`${name} export failed (counted in agent_telemetry_export_failures_total)`, error);
    }
  };
  return {
    export(metrics, resultCallback) {
      let settled = false;
      const settle = (result: ExportResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (result.code !== ExportResultCode.SUCCESS) report(result.error);
        resultCallback({ code: ExportResultCode.SUCCESS });
      };
      const deadline = setTimeout(
        () => settle({ code: ExportResultCode.FAILED, error: new Error(`no answer within ${deadlineMillis} ms`) }),
        deadlineMillis,
      );
      deadline.unref();
      try {
        exporter.export(metrics, settle);
      } catch (err) {
        settle({ code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(String(err)) });
      }
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
    selectAggregationTemporality: exporter.selectAggregationTemporality?.bind(exporter),
    selectAggregation: exporter.selectAggregation?.bind(exporter),
  };
}
