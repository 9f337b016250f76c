import { catalogueEntries } from '@agent-telemetry/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../src/instrumentation';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const TYPE = { counter: 'counter', gauge: 'gauge', updowncounter: 'gauge', histogram: 'histogram', observable_gauge: 'gauge' };

test('the README lists every database metric as the catalogue defines it', () => {
  const rows = catalogueEntries()
    .filter(([, def]) => def.group === 'database')
    .map(([name, def]) => {
      const labels = def.labels.length > 0 ? def.labels.map((label) => `\`${label}\``).join(', ') : '–';
      const buckets = def.buckets ? ` Buckets: ${def.buckets.join(', ')}.` : '';
      return `| \`${name}\` | ${TYPE[def.kind]} | ${labels} | ${def.help}${buckets} |`;
    });
  const block = /<!-- metrics:start[^>]*-->\n([\s\S]*?)\n<!-- metrics:end -->/.exec(README);
  expect(block?.[1]).toBe(['| metric | type | labels | description |', '|---|---|---|---|', ...rows].join('\n'));
});

test('the Options table has every option of types.ts, with the defaults of DEFAULT_CONFIG', () => {
  const types = readFileSync(join(__dirname, '..', 'src', 'types.ts'), 'utf8');
  const body = /export interface PgTelemetryOptions extends PgInstrumentationConfig \{([\s\S]*?)\n\}/.exec(types)![1]!;
  const declared = [...body.matchAll(/^ {2}(\w+)\?:/gm)].map((match) => match[1]);
  const section = README.slice(README.indexOf('\n## Options\n'), README.indexOf('\n## Metrics\n'));
  const table = [...section.matchAll(/^\| `(\w+)` \| [^|]* \| ([^|]+) \|/gm)].map((match) => [match[1], match[2]!.trim()]);
  expect(table.map(([name]) => name)).toEqual(declared);
  for (const [name, value] of Object.entries(DEFAULT_CONFIG)) {
    expect([name, table.find(([option]) => option === name)?.[1]]).toEqual([name, `\`${JSON.stringify(value)}\``]);
  }
});
