import type { MetricName } from '@agent-telemetry/core';
import { join } from 'node:path';
import { declaredOptions, metricsBlock, readReadme, renderMetricsTable } from '../../../test-support/readme';

const ALSO: ReadonlySet<MetricName> = new Set(['agent_tokens_used_total', 'agent_cost_usd_total']);
const dir = join(__dirname, '..');

test('the README lists every metric this package records, as the catalogue defines it', () => {
  expect(metricsBlock(readReadme(dir))).toBe(renderMetricsTable((name, def) => def.group === 'llm' || ALSO.has(name)));
});

test('the README documents every option', () => {
  const readme = readReadme(dir);
  for (const option of declaredOptions(dir, 'LlmTelemetryOptions')) expect(readme).toContain(`| \`${option}\` |`);
});
