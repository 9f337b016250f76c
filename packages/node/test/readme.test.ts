import { readFileSync } from 'node:fs';
import * as core from '@agent-telemetry/core';

// scripts/metric-docs.js renders the README's metric reference from the catalogue.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const docs = require('../../../scripts/metric-docs.js') as {
  README: string;
  renderMetricReference(): string;
  readmeWithReference(readme: string, reference: string): string;
};

test('the README metric reference matches the catalogue (run `npm run docs` to refresh it)', () => {
  const readme = readFileSync(docs.README, 'utf8');
  expect(docs.readmeWithReference(readme, docs.renderMetricReference())).toBe(readme);
});

test('the reference lists every catalogue metric, the runtime ones included', () => {
  const reference = docs.renderMetricReference();
  for (const name of Object.keys(core.CATALOGUE)) expect(reference).toContain(`| \`${name}\` |`);
});
