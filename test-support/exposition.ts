import type { Telemetry } from '@agent-telemetry/core';
import { spawnSync } from 'node:child_process';

/** One sample line of a Prometheus exposition, labels unescaped. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses every sample line of a text exposition (0.0.4), undoing the label-value escapes. */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    samples.push({ name: match[1]!, labels: parseLabels(match[2] ?? ''), value: parseValue(match[3]!) });
  }
  return samples;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    if (pattern.lastIndex === text.length) return labels;
  }
  if (text !== '') throw new Error(`malformed labels: ${JSON.stringify(text)}`);
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Samples as sorted `name{label="value",...} value` keys (labels sorted), for order-free comparison. */
export function sampleKeys(samples: readonly Sample[]): string[] {
  return samples
    .map(({ name, labels, value }) => {
      const pairs = Object.keys(labels)
        .sort()
        .map((key) => `${key}=${JSON.stringify(labels[key])}`);
      return `${name}{${pairs.join(',')}} ${value}`;
    })
    .sort();
}

/** The block of one metric family (`# HELP`, `# TYPE` and its samples), or '' when absent. */
export function familyText(text: string, name: string): string {
  const start = text.indexOf(`# HELP ${name} `);
  if (start < 0) return '';
  const next = text.indexOf('# HELP ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

/** {@link familyText} without its final newline, for splitting into lines. */
export function family(text: string, name: string): string {
  return familyText(text, name).replace(/\n$/, '');
}

/** The exposition lines of the metric families `names` (HELP, TYPE, samples), in scrape order. */
export async function scrapeFamilies(telemetry: Pick<Telemetry, 'scrape'>, ...names: string[]): Promise<string> {
  const text = await telemetry.scrape();
  const pattern = new RegExp(`^(?:# (?:HELP|TYPE) )?(?:${names.join('|')})(?:_bucket|_sum|_count)?[ {]`);
  return text
    .split('\n')
    .filter((line) => pattern.test(line))
    .map((line) => `${line}\n`)
    .join('');
}

/** The sample lines of the metric families `names` (no HELP, no TYPE), in scrape order. */
export async function scrapeSamples(telemetry: Pick<Telemetry, 'scrape'>, ...names: string[]): Promise<string> {
  return (await scrapeFamilies(telemetry, ...names)).replace(/^#.*\n/gm, '');
}

/** Names of the metric families of an exposition, from its `# TYPE` lines. */
export function familyNames(text: string): string[] {
  return [...text.matchAll(/^# TYPE (\S+) \S+$/gm)].map((match) => match[1]!);
}

/** Runs the real `promtool check metrics` on the text; returns its exit status and all it printed. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
