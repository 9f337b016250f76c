import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

// `npx agent-telemetry-docs`, the built bin of this package, on modules as a service writes them.
const COMMAND = join(__dirname, '..', 'dist', 'docsCommand.js');
const FIXTURES = join(__dirname, 'fixtures', 'docs');

async function docs(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [COMMAND, ...args], {
      cwd: FIXTURES,
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

const SHOP_REFERENCE = [
  '| metric | type (kind) | labels | max label sets | group | description |',
  '|---|---|---|---|---|---|',
  '| `orders_placed_total` | counter (counter) | `channel` | 2000 | service | Orders placed, by channel. |',
  '| `checkout_duration_seconds` | histogram (histogram) | `channel` | 50 | checkout | Time from cart to confirmed order. Buckets: 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30. |',
  '',
].join('\n');

test("prints the reference of a CommonJS module's tables, defaults applied as the registry applies them", async () => {
  expect(await docs('metrics.cjs')).toEqual({ code: 0, stdout: SHOP_REFERENCE, stderr: '' });
});

test('reads a TypeScript module (its default export) as Node strips its types', async () => {
  expect(await docs('metrics.mts')).toEqual({
    code: 0,
    stdout: [
      '| metric | type (kind) | labels | max label sets | group | description |',
      '|---|---|---|---|---|---|',
      '| `queue_depth` | gauge (observable_gauge) | `queue` | 2000 | service | Jobs waiting, by queue. |',
      '',
    ].join('\n'),
    stderr: '',
  });
});

test('--write keeps a Markdown file up to date between its markers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-telemetry-docs-'));
  try {
    const file = join(dir, 'METRICS.md');
    writeFileSync(file, '# Shop\n\n<!-- service-metrics:start -->\nstale\n<!-- service-metrics:end -->\n\nEnd.\n');
    expect(await docs('metrics.cjs', '--write', file)).toEqual({ code: 0, stdout: '', stderr: '' });
    const written = `# Shop\n\n<!-- service-metrics:start -->\n${SHOP_REFERENCE}<!-- service-metrics:end -->\n\nEnd.\n`;
    expect(readFileSync(file, 'utf8')).toBe(written);
    // Idempotent.
    await docs('metrics.cjs', '--write', file);
    expect(readFileSync(file, 'utf8')).toBe(written);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('an invalid table, a module without tables and wrong arguments fail with a message', async () => {
  expect(await docs('invalid.cjs')).toEqual({
    code: 1,
    stdout: '',
    stderr:
      'agent-telemetry-docs: agent-telemetry: invalid metrics.orders_placed: "orders_placed"; accepted: a counter name ending in _total (once)\n',
  });
  expect(await docs(join('..', 'plain-app.js'))).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('exports no defineMetrics() table'),
  });
  expect(await docs()).toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/^Usage: agent-telemetry-docs <module>/),
  });
});
