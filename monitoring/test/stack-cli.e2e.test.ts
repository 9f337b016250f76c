import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isReady } from '../../scripts/lib/stack';
import { ROOT } from './helpers/monitoringFiles';

// `npm run stack` (= npm run build && node scripts/stack.js): starts, prints its URLs, keeps 15 days
// of data, and Ctrl-C (SIGINT) stops every process it started. --free-ports keeps it off the usual
// ports, where Debian's own services may listen.

const URL_LINE =
  /^\s+(demo service|Prometheus|Alertmanager|node exporter|postgres exporter|redis exporter)\s+(http:\/\/\S+)/gm;

function waitForOutput(child: ChildProcess, text: string, timeoutMs: number): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before "${text}":\n${output}`));
    });
  });
}

describe('npm run stack (scripts/stack.js)', () => {
  let workDir: string;
  let child: ChildProcess | undefined;

  beforeAll(() => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'stack-cli-'));
  });
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    rmSync(workDir, { recursive: true, force: true });
  });

  it('starts the stack, prints its URLs, and stops everything on Ctrl-C', async () => {
    child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'stack.js'), '--dir', workDir, '--free-ports'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const output = await waitForOutput(child, 'Ctrl-C stops everything.', 60_000);
    const urls = Object.fromEntries([...output.matchAll(URL_LINE)].map((m) => [m[1]!, m[2]!]));
    expect(Object.keys(urls).sort()).toEqual([
      'Alertmanager',
      'Prometheus',
      'demo service',
      'node exporter',
      'postgres exporter',
      'redis exporter',
    ]);
    for (const url of Object.values(urls)) expect([url, await isReady(url)]).toEqual([url, true]);

    const res = await fetch(`${urls.Prometheus}/api/v1/status/flags`);
    const { data: flags } = (await res.json()) as { data: Record<string, string> };
    expect(flags['storage.tsdb.retention.time']).toBe('15d');
    expect(flags['storage.tsdb.path']).toBe(path.join(workDir, 'prometheus-data'));

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    let rest = '';
    child.stdout!.on('data', (chunk: Buffer) => (rest += chunk.toString()));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(rest).toContain('SIGINT: stopping the stack...');
    expect(rest).toContain('stopped.');
    // Every process it started is gone: nothing answers on their ports.
    for (const url of Object.values(urls)) expect([url, await isReady(url)]).toEqual([url, false]);
  }, 90_000);
});
