import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  AggregationTemporality,
  PeriodicExportingMetricReader,
  type CollectionResult,
  type MetricReader,
  type PeriodicExportingMetricReaderOptions,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import type { ResolvedConfig } from './config';
import type { MetricRegistry } from './MetricRegistry';
import { createOtlpExporter } from './otlpExporter';
import { PushDeadlines } from './PushDeadlines';
import { ThrottledLog } from './ThrottledLog';

/** The periodic OTLP push, and what `shutdown()` needs to bound it. */
export interface OtlpPush {
  readonly reader: MetricReader;
  /**
   * Ends every push still open, uncounted: their connections are destroyed. At shutdown, before
   * the last push, whose cumulative values supersede theirs.
   */
  endAll(): void;
}

/**
 * The total deadline of one push (retries included): never longer than the interval, so a push
 * never outlives the next one's start.
 */
export function pushDeadlineMillis(config: ResolvedConfig): number {
  return Math.min(config.otlp.timeoutMillis, config.otlp.intervalMillis);
}

/** The periodic OTLP/HTTP push of the registry's metrics (and the MeterProvider's). */
export function createOtlpPush(config: ResolvedConfig, registry: MetricRegistry): OtlpPush {
  const { endpoint, headers, intervalMillis } = config.otlp;
  const deadlineMillis = pushDeadlineMillis(config);
  const deadlines = new PushDeadlines();
  const undecodable = new ThrottledLog('the OTLP collector answered 200 with a body that is not an OTLP response');
  const exporter = createOtlpExporter({
    url: endpoint,
    headers: { ...headers },
    timeoutMillis: deadlineMillis,
    // The registry keeps cumulative values; OTLP receives them as they are.
    temporalityPreference: AggregationTemporality.CUMULATIVE,
    onUndecodableResponse: (error) => undecodable.error(error),
  });
  const reporting = reportingFailures(exporter, 'otlp', registry, deadlineMillis, deadlines);
  const reader = new OtlpReader(
    {
      exporter: reporting.exporter,
      exportIntervalMillis: intervalMillis,
      // Never shorter than the wrapper's deadline, so a slow collector is reported by the wrapper
      // (counted, rate-limited) and not by the reader's own timeout (logged at every interval).
      exportTimeoutMillis: intervalMillis,
      metricProducers: [registry],
    },
    config.collectionTimeoutMillis,
    registry,
  );
  return { reader, endAll: reporting.endAll };
}

/**
 * The SDK's periodic reader, with the collection deadline of a scrape rather than its export
 * timeout (the interval), and collection errors counted and logged at most once a minute by the
 * registry instead of at every push.
 */
class OtlpReader extends PeriodicExportingMetricReader {
  constructor(
    options: PeriodicExportingMetricReaderOptions,
    private readonly _collectionTimeoutMillis: number,
    private readonly _registry: MetricRegistry,
  ) {
    super(options);
  }

  override async collect(options?: Parameters<MetricReader['collect']>[0]): Promise<CollectionResult> {
    const timeoutMillis = Math.min(options?.timeoutMillis ?? Infinity, this._collectionTimeoutMillis);
    const result = await super.collect({ ...options, timeoutMillis });
    this._registry.recordCollectionErrors(result.errors);
    return { ...result, errors: [] };
  }
}

/**
 * Wraps an exporter so that a failed push, or one not answered within `deadlineMillis`, is
 * counted in `agent_telemetry_export_failures_total` and logged at most once a minute: a
 * collector that is down or slow must be visible, not noisy. A push past its deadline is ended
 * ({@link PushDeadlines}): its connections are destroyed, so nothing waits on it, shutdown
 * included. The reader is then told the push succeeded, because its only reaction to a failure
 * is one more unthrottled log line.
 *
 * The deadline timer starts inside `export()`, before the reader starts its own timeout of at
 * least the same length, so on a tie Node fires the deadline first.
 */
function reportingFailures(
  exporter: PushMetricExporter,
  name: string,
  registry: MetricRegistry,
  deadlineMillis: number,
  deadlines: PushDeadlines,
): { exporter: PushMetricExporter; endAll(): void } {
  const failures = registry.metrics.agent_telemetry_export_failures_total.labels({ exporter: name });
  const log = new ThrottledLog(`${name} export failed (counted in agent_telemetry_export_failures_total)`);
  const pending = new Set<(result: ExportResult) => void>();
  const endAll = (): void => {
    for (const settle of pending) settle({ code: ExportResultCode.SUCCESS });
    deadlines.endAll();
  };
  const wrapped: PushMetricExporter = {
    export(metrics, resultCallback) {
      let settled = false;
      let endPush = () => {};
      const settle = (result: ExportResult): void => {
        if (settled) return;
        settled = true;
        pending.delete(settle);
        clearTimeout(deadline);
        endPush();
        if (result.code !== ExportResultCode.SUCCESS) {
          failures.inc();
          log.error(result.error);
        }
        resultCallback({ code: ExportResultCode.SUCCESS });
      };
      const deadline = setTimeout(
        () => settle({ code: ExportResultCode.FAILED, error: new Error(`no answer within ${deadlineMillis} ms`) }),
        deadlineMillis,
      );
      deadline.unref();
      pending.add(settle);
      try {
        endPush = deadlines.start(() => exporter.export(metrics, settle));
        if (settled) endPush();
      } catch (err) {
        settle({ code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(String(err)) });
      }
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
    selectAggregationTemporality: exporter.selectAggregationTemporality?.bind(exporter),
    selectAggregation: exporter.selectAggregation?.bind(exporter),
  };
  return { exporter: wrapped, endAll };
}
