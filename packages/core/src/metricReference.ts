import { DEFAULT_CARDINALITY_LIMIT, PROMETHEUS_TYPE, type MetricShape } from './catalogue';
import { resolveMetricTable, type MetricTable } from './metricTable';

/** A metric as the reference shows it: its shape and the group it is listed under. */
export type ReferenceRow = readonly [name: string, metric: MetricShape & { readonly group: string }];

/**
 * The metric reference as a Markdown table: name, Prometheus type and kind, labels, most label
 * sets kept, group, help with the buckets. The README's catalogue reference (`npm run docs`) and
 * the service's own (`npx agent-telemetry-docs`) are both written by it.
 */
export function renderMetricTable(rows: readonly ReferenceRow[]): string {
  const lines = rows.map(([name, metric]) => {
    const labels = metric.labels.length > 0 ? metric.labels.map((label) => `\`${label}\``).join(', ') : '–';
    const limit = metric.cardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT;
    const buckets = metric.buckets === undefined ? '' : ` Buckets: ${metric.buckets.join(', ')}.`;
    const type = `${PROMETHEUS_TYPE[metric.kind]} (${metric.kind})`;
    return `| \`${name}\` | ${type} | ${labels} | ${limit} | ${metric.group} | ${metric.help}${buckets} |`;
  });
  return [
    '| metric | type (kind) | labels | max label sets | group | description |',
    '|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}

/**
 * The reference rows of a table of the service's own metrics, defaults applied as the registry
 * applies them (buckets from the unit, group `service`).
 * @throws TelemetryConfigError for an invalid table
 */
export function serviceReferenceRows(table: MetricTable): ReferenceRow[] {
  return resolveMetricTable(table, new Map());
}

/**
 * `text` with what stands between the line starting `startMarker` and `endMarker` replaced by
 * `section` (markers kept), as the generated references are kept up to date in a Markdown file.
 * @throws Error when the markers are missing
 */
export function replaceSection(text: string, startMarker: string, endMarker: string, section: string): string {
  const start = text.indexOf(startMarker);
  const startEnd = start < 0 ? -1 : text.indexOf('\n', start);
  const end = text.indexOf(endMarker, startEnd);
  if (start < 0 || startEnd < 0 || end < 0) throw new Error(`the markers ${startMarker} ... ${endMarker} are missing`);
  return `${text.slice(0, startEnd + 1)}${section}\n${text.slice(end)}`;
}
