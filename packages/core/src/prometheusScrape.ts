import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { catalogueEntries } from './catalogue';
import { ExpositionBudget } from './ExpositionBudget';
import { logger } from './logger';
import type { MetricRegistry } from './MetricRegistry';
import type { PrometheusTextSerializer } from './PrometheusTextSerializer';
import type { ServedRegistries } from './servedRegistries';
import { singleFlight } from './singleFlight';

/** What {@link createPrometheusScrape} reads and writes with. */
export interface PrometheusScrapeSetup {
  /** The Prometheus reader of the MeterProvider (it collects the registry too, as a producer). */
  readonly reader: MetricReader;
  readonly serializer: PrometheusTextSerializer;
  /** Where collection errors and cut expositions are counted. */
  readonly registry: MetricRegistry;
  readonly collectionTimeoutMillis: number;
  readonly maxExpositionBytes: number;
  /** Instrumentation scopes exported over OTLP only, left out of the exposition. */
  readonly otlpOnlyScopes: ReadonlySet<string>;
  /** prom-client registries served after agent-telemetry's metrics, within the same ceiling. */
  readonly served: ServedRegistries | undefined;
}

/** One scrape's result, shared by every request that asked for it while it ran. */
export class Exposition {
  private _bytes: Buffer | undefined;

  constructor(readonly text: string) {}

  /** The text as UTF-8, encoded once however many responses send it. */
  get bytes(): Buffer {
    return (this._bytes ??= Buffer.from(this.text));
  }
}

/** Milliseconds of serializing after which the event loop is let turn, so the service keeps answering. */
const SLICE_MILLIS = 5;

/** agent-telemetry's own metrics: always exposed, as they tell why something else was not. */
const SELF_METRICS: ReadonlySet<string> = new Set(
  catalogueEntries()
    .filter(([, definition]) => definition.group === 'self')
    .map(([name]) => name),
);

/**
 * One Prometheus scrape: collect with a deadline, then serialize within the exposition ceiling,
 * letting the event loop turn every few milliseconds. Concurrent scrapes share one run
 * ({@link singleFlight}): requests read while it runs join it. Neither a hanging or throwing
 * callback of the service's own instruments nor what clients sent can fail it: the callback is
 * left out and counted, series past the ceiling are left out and counted.
 */
export function createPrometheusScrape(setup: PrometheusScrapeSetup): () => Promise<Exposition> {
  const { reader, serializer, registry, collectionTimeoutMillis, maxExpositionBytes, otlpOnlyScopes, served } = setup;
  let reportedCut = false;
  return singleFlight(async () => {
    const collected = await reader.collect({ timeoutMillis: collectionTimeoutMillis });
    registry.recordCollectionErrors(collected.errors);
    const resourceMetrics =
      otlpOnlyScopes.size === 0
        ? collected.resourceMetrics
        : {
            ...collected.resourceMetrics,
            scopeMetrics: collected.resourceMetrics.scopeMetrics.filter(({ scope }) => !otlpOnlyScopes.has(scope.name)),
          };
    const budget = new ExpositionBudget(maxExpositionBytes, SELF_METRICS);
    let text = '';
    let sliceStart = performance.now();
    for (const chunk of serializer.chunks(resourceMetrics, budget)) {
      text += chunk;
      if (performance.now() - sliceStart >= SLICE_MILLIS) {
        await nextTurn();
        sliceStart = performance.now();
      }
    }
    if (served !== undefined) text += budget.fitFamilies(await served.exposition(resourceMetrics));
    if (budget.cutAt !== undefined) {
      // Visible from the next scrape on: this one's values were collected before the cut.
      registry.metrics.agent_telemetry_exposition_truncated_total.inc({});
      if (!reportedCut) {
        reportedCut = true;
        logger.warn(
          `the exposition reached its ceiling of ${maxExpositionBytes} bytes (prometheus.maxExpositionBytes) at ` +
            `${budget.cutAt}: ${budget.seriesLeftOut} series from there on were left out; later cuts are counted ` +
            'in agent_telemetry_exposition_truncated_total',
        );
      }
    }
    return new Exposition(text);
  });
}
