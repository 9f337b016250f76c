import { catalogueEntries, type MetricDefinition, type MetricName } from '@agent-telemetry/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const GROUPS: ReadonlySet<MetricDefinition['group']> = new Set(['agent', 'llm', 'rate_limit', 'circuit_breaker', 'business']);
const ALSO: ReadonlySet<MetricName> = new Set(['auth_failures_total']);
const TYPE = { counter: 'counter', gauge: 'gauge', updowncounter: 'gauge', histogram: 'histogram', observable_gauge: 'gauge' };

/** The README's metrics table as the catalogue says it must read. */
function renderMetricsTable(): string {
  const rows = catalogueEntries()
    .filter(([name, def]) => GROUPS.has(def.group) || ALSO.has(name))
    .map(([name, def]) => {
      const buckets = def.buckets ? ` Buckets: ${def.buckets.join(', ')}.` : '';
      return `| \`${name}\` | ${TYPE[def.kind]} | ${def.labels.map((l) => `\`${l}\``).join(', ')} | ${def.help}${buckets} |`;
    });
  return ['| metric | type | labels | description |', '|---|---|---|---|', ...rows].join('\n');
}

test('the README lists every metric this package records, as the catalogue defines it', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const block = /<!-- metrics:start[^>]*-->\n([\s\S]*?)\n<!-- metrics:end -->/.exec(readme);
  expect(block?.[1]).toBe(renderMetricsTable());
});
