import { join } from 'node:path';
import {
  declaredOptions,
  metricsBlock,
  optionsTable,
  readReadme,
  renderMetricsTable,
  shownDefault,
} from '../../../test-support/readme';
import { DEFAULT_CONFIG } from '../src/instrumentation';

const PACKAGE_DIR = join(__dirname, '..');
const README = readReadme(PACKAGE_DIR);

test('the README lists every database metric as the catalogue defines it', () => {
  expect(metricsBlock(README)).toBe(renderMetricsTable((_, def) => def.group === 'database'));
});

test('the Options table has every option of types.ts, with the defaults of DEFAULT_CONFIG', () => {
  const declared = declaredOptions(PACKAGE_DIR, 'PgTelemetryOptions');
  const table = optionsTable(README);
  expect(table.map(([name]) => name)).toEqual(declared);
  for (const [name, value] of Object.entries(DEFAULT_CONFIG)) {
    expect([name, table.find(([option]) => option === name)?.[1]]).toEqual([name, shownDefault(value)]);
  }
});
