import type { MetricDefinition, MetricName } from '@agent-telemetry/core';
import { join } from 'node:path';
import { metricsBlock, readReadme, renderMetricsTable } from '../../../test-support/readme';

const GROUPS: ReadonlySet<MetricDefinition['group']> = new Set([
  'agent',
  'llm',
  'rate_limit',
  'circuit_breaker',
  'business',
]);
const ALSO: ReadonlySet<MetricName> = new Set(['auth_failures_total']);

test('the README lists every metric this package records, as the catalogue defines it', () => {
  const readme = readReadme(join(__dirname, '..'));
  expect(metricsBlock(readme)).toBe(renderMetricsTable((name, def) => GROUPS.has(def.group) || ALSO.has(name)));
});
