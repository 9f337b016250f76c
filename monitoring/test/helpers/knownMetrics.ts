import { CATALOGUE, type MetricDefinition } from '../../../packages/core/src/catalogue';
import { alertRules } from './monitoringFiles';

/** Where a metric read by a rule, panel or runbook comes from. */
export type MetricSource = 'catalogue' | 'runtime' | 'exporter' | 'prometheus' | 'recording rule';

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

function catalogueMetric(name: string): KnownMetric | undefined {
  const source = (definition: MetricDefinition): MetricSource =>
    definition.group === 'runtime' ? 'runtime' : 'catalogue';
  const definition = (CATALOGUE as Record<string, MetricDefinition>)[name];
  if (definition !== undefined) return { source: source(definition), labels: definition.labels };
  const [, base, suffix] = HISTOGRAM_SERIES.exec(name) ?? [];
  const histogram = base === undefined ? undefined : (CATALOGUE as Record<string, MetricDefinition>)[base];
  if (histogram?.kind !== 'histogram') return undefined;
  return { source: source(histogram), labels: suffix === 'bucket' ? [...histogram.labels, 'le'] : histogram.labels };
}

/**
 * What a metric name read by the monitoring files is, or undefined when nothing publishes it:
 * the catalogue of packages/core, its runtime group apart (histograms with their `_bucket`, `_sum`,
 * `_count` series), the named exporters, Prometheus itself, or a recording rule of alert_rules.yml.
 */
export function knownMetric(name: string): KnownMetric | undefined {
  const fromCatalogue = catalogueMetric(name);
  if (fromCatalogue !== undefined) return fromCatalogue;
  if (PROMETHEUS_SERIES.has(name)) return { source: 'prometheus' };
  if (RECORDING_RULES.has(name)) return { source: 'recording rule' };
  if (EXPORTER_PREFIXES.some((prefix) => name.startsWith(prefix))) return { source: 'exporter' };
  return undefined;
}

/** Labels every scraped series carries (prometheus.yml adds no others). */
export const TARGET_LABELS = ['job', 'instance'] as const;
