import { DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { seriesNames } from './catalogue';
import { logger } from './logger';
import { prometheusName } from './PrometheusTextSerializer';

/**
 * A prom-client `Registry`, or one of `@prometheus-io/client` (its successor, same API): what is
 * read of it to serve its metrics beside agent-telemetry's.
 */
export interface PrometheusRegistry {
  /** The registry's exposition in the text format. */
  metrics(): Promise<string> | string;
  /** The registry's metrics, for their names and types (`counter`, `histogram`, ...). */
  getMetricsAsArray(): ReadonlyArray<{ readonly name: string; readonly type?: unknown }>;
  /** Its content type: the text format 0.0.4, which ours is, or OpenMetrics. */
  readonly contentType?: string;
}

const FAILURE_LOG_INTERVAL_MS = 60_000;

/**
 * The registries a service migrating from prom-client serves in agent-telemetry's exposition,
 * during the migration. A family whose series names clash with agent-telemetry's metrics (or
 * with an earlier registry's) would make the whole scrape invalid: it is left out of the
 * exposition, and each clash is reported once, at start-up for the metrics known then.
 */
export class ServedRegistries {
  private readonly _reported = new Set<string>();
  private readonly _lastFailure = new Map<PrometheusRegistry, number>();

  /**
   * Reports the clashes with `defined` now.
   * @param _defined the series names of agent-telemetry's metrics, each with whose it is
   */
  constructor(
    private readonly _registries: readonly PrometheusRegistry[],
    private readonly _defined: ReadonlyMap<string, string>,
  ) {
    this._clashingFamilies(new Map(_defined));
  }

  /**
   * The registries' expositions, joined, without the families that clash with agent-telemetry's
   * metrics, those just collected included. A registry whose collection fails is left out of this scrape and reported (at most
   * once a minute): one failing `collect()` must not fail agent-telemetry's scrape.
   */
  async exposition(collected: ResourceMetrics): Promise<string> {
    const dropped = this._clashingFamilies(collectedSeries(collected, new Map(this._defined)));
    let text = '';
    for (const registry of this._registries) {
      try {
        text += withoutFamilies(await registry.metrics(), dropped.get(registry));
      } catch (err) {
        this._failed(registry, err);
      }
    }
    return text;
  }

  /** Per registry, the families to leave out: each clash with `taken` or an earlier registry. */
  private _clashingFamilies(taken: Map<string, string>): Map<PrometheusRegistry, Set<string>> {
    const dropped = new Map<PrometheusRegistry, Set<string>>();
    this._registries.forEach((registry, index) => {
      const own = `served prom-client registry #${index + 1}`;
      const families = new Set<string>();
      const clashes: string[] = [];
      for (const { name, type } of registry.getMetricsAsArray()) {
        const series = seriesNames(name, typeof type === 'string' ? type : undefined);
        const owner = series.map((each) => taken.get(each)).find((each) => each !== undefined);
        if (owner === undefined) {
          for (const each of series) taken.set(each, `${name} of the ${own}`);
          continue;
        }
        families.add(name);
        if (!this._reported.has(`${index}:${name}`)) {
          this._reported.add(`${index}:${name}`);
          clashes.push(owner === `agent-telemetry's ${name}` ? name : `${name} (by ${owner})`);
        }
      }
      if (clashes.length > 0) {
        logger.warn(
          `metrics of the ${own} left out of the exposition, their names taken by agent-telemetry's metrics ` +
            `already: ${clashes.join(', ')}. Rename them ` +
            "or remove them from the registry; if they come from prom-client's collectDefaultMetrics(), agent-telemetry " +
            'reports the same runtime metrics: drop that call, or set runtimeMetrics: false',
        );
      }
      dropped.set(registry, families);
    });
    return dropped;
  }

  private _failed(registry: PrometheusRegistry, err: unknown): void {
    const now = Date.now();
    if (now - (this._lastFailure.get(registry) ?? -Infinity) < FAILURE_LOG_INTERVAL_MS) return;
    this._lastFailure.set(registry, now);
    logger.error('a served prom-client registry failed to collect: its metrics are left out of the scrape', err);
  }
}

/** `series` with the series names of what agent-telemetry collected (instruments made through the API too). */
function collectedSeries(collected: ResourceMetrics, series: Map<string, string>): Map<string, string> {
  for (const { metrics } of collected.scopeMetrics) {
    for (const metric of metrics) {
      const name = prometheusName(metric);
      const type = metric.dataPointType === DataPointType.HISTOGRAM ? 'histogram' : undefined;
      for (const each of seriesNames(name, type)) series.set(each, `agent-telemetry's ${name}`);
    }
  }
  return series;
}

/** A text exposition without the families `names`: their HELP, TYPE and sample lines. */
function withoutFamilies(text: string, names: ReadonlySet<string> | undefined): string {
  if (names === undefined || names.size === 0) return text;
  let dropping = false;
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    // Client libraries write each family's HELP and TYPE before its samples.
    const meta = /^# (?:HELP|TYPE) (\S+)/.exec(line);
    if (meta !== null) dropping = names.has(meta[1]!);
    if (!dropping) kept.push(line);
  }
  return kept.join('\n');
}
