import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { findBinary } from '../../../scripts/lib/stack';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one of the Prometheus tools (promtool, amtool); never rejects on a non-zero exit. */
export function runTool(name: 'promtool' | 'amtool', args: readonly string[], cwd?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(findBinary([name]), args, { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

/**
 * Checks PromQL expressions with `promtool check rules`, each as a recording rule of a temporary
 * rule file: promtool parses (and type-checks) every expression and names the ones it rejects.
 */
export async function checkExpressions(exprs: readonly string[]): Promise<RunResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'promql-check-'));
  try {
    const file = path.join(dir, 'expressions.yml');
    const rules = exprs.map((expr, i) => ({ record: `check:expression_${i}:promql`, expr }));
    writeFileSync(file, YAML.stringify({ groups: [{ name: 'expressions', rules }] }));
    return await runTool('promtool', ['check', 'rules', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
