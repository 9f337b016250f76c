import { CATALOGUE } from '../../../packages/core/src/catalogue';
import type { MetricTable } from '../../../packages/core/src/metricTable';
import { marketplaceMetrics } from '../../../examples/marketplace-service/src/metrics';
import { alertRules } from './monitoringFiles';

/**
 * The service's own metrics (its `defineMetrics()` table), which rules, panels and runbooks may
 * read beside the catalogue's. A service that takes over this folder imports its own table here.
 */
const SERVICE_METRICS: MetricTable = marketplaceMetrics;

/** Where a metric read by a rule, panel or runbook comes from. */
type MetricSource = 'catalogue' | 'runtime' | 'service' | 'exporter' | 'prometheus' | 'recording rule';

export interface KnownMetric {
  readonly source: MetricSource;
  /**
   * Label names the metric carries besides the target's (`job`, `instance`), where we know them
   * (catalogue metrics).
   */
  readonly labels?: readonly string[];
}

/** The exporters' metric prefixes: node exporter, postgres exporter, redis exporter. */
const EXPORTER_PREFIXES = ['node_', 'pg_', 'redis_'] as const;
/** Series Prometheus writes itself: scrape health and alert state. */
const PROMETHEUS_SERIES = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE']);
const HISTOGRAM_SERIES = /^(.*)_(bucket|sum|count)$/;

const RECORDING_RULES = new Set(
  alertRules().groups.flatMap((group) =>
    group.rules.flatMap((rule) => (rule.record === undefined ? [] : [rule.record])),
  ),
);

/** The metrics whose label names are known, with where each comes from. */
const DEFINED = new Map<string, { source: MetricSource; kind: string; labels: readonly string[] }>([
  ...Object.entries(CATALOGUE).map(
    ([name, { group, kind, labels }]) =>
      [name, { source: group === 'runtime' ? 'runtime' : 'catalogue', kind, labels }] as const,
  ),
  ...Object.entries(SERVICE_METRICS).map(
    ([name, { kind, labels }]) => [name, { source: 'service', kind, labels }] as const,
  ),
]);

function definedMetric(name: string): KnownMetric | undefined {
  const metric = DEFINED.get(name);
  if (metric !== undefined) return { source: metric.source, labels: metric.labels };
  const [, base, suffix] = HISTOGRAM_SERIES.exec(name) ?? [];
  const histogram = base === undefined ? undefined : DEFINED.get(base);
  if (histogram?.kind !== 'histogram') return undefined;
  return { source: histogram.source, labels: suffix === 'bucket' ? [...histogram.labels, 'le'] : histogram.labels };
}

/**
 * What a metric name read by the monitoring files is, or undefined when nothing publishes it:
 * the catalogue of packages/core (its runtime group apart) or the service's own table (histograms
 * with their `_bucket`, `_sum`, `_count` series), the named exporters, Prometheus itself, or a recording rule of alert_rules.yml.
 */
export function knownMetric(name: string): KnownMetric | undefined {
  const defined = definedMetric(name);
  if (defined !== undefined) return defined;
  if (PROMETHEUS_SERIES.has(name)) return { source: 'prometheus' };
  if (RECORDING_RULES.has(name)) return { source: 'recording rule' };
  if (EXPORTER_PREFIXES.some((prefix) => name.startsWith(prefix))) return { source: 'exporter' };
  return undefined;
}

/** Labels every scraped series carries (prometheus.yml adds no others). */
export const TARGET_LABELS = ['job', 'instance'] as const;
