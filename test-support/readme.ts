import { catalogueEntries, PROMETHEUS_TYPE, type MetricDefinition, type MetricName } from '@agent-telemetry/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The README.md of the package at `packageDir`. */
export function readReadme(packageDir: string): string {
  return readFileSync(join(packageDir, 'README.md'), 'utf8');
}

/** The README's metrics table: what stands between its `metrics:start` and `metrics:end` markers. */
export function metricsBlock(readme: string): string | undefined {
  return /<!-- metrics:start[^>]*-->\n([\s\S]*?)\n<!-- metrics:end -->/.exec(readme)?.[1];
}

/** The metrics table of the catalogue metrics `select` picks, as the catalogue says it must read. */
export function renderMetricsTable(select: (name: MetricName, definition: MetricDefinition) => boolean): string {
  const rows = catalogueEntries()
    .filter(([name, def]) => select(name, def))
    .map(([name, def]) => {
      const labels = def.labels.length > 0 ? def.labels.map((label) => `\`${label}\``).join(', ') : '–';
      const buckets = def.buckets ? ` Buckets: ${def.buckets.join(', ')}.` : '';
      return `| \`${name}\` | ${PROMETHEUS_TYPE[def.kind]} | ${labels} | ${def.help}${buckets} |`;
    });
  return ['| metric | type | labels | description |', '|---|---|---|---|', ...rows].join('\n');
}

/** The optional fields of `interfaceName` in the package's src/types.ts, in declaration order. */
export function declaredOptions(packageDir: string, interfaceName: string): string[] {
  const types = readFileSync(join(packageDir, 'src', 'types.ts'), 'utf8');
  const body = new RegExp(`export interface ${interfaceName}(?: extends \\w+)? \\{([\\s\\S]*?)\\n\\}`).exec(types)![1]!;
  return [...body.matchAll(/^ {2}(?:readonly )?(\w+)\?:/gm)].map((match) => match[1]!);
}

/** The README's Options table as `[option, default]` rows (a type may hold an escaped `\|`). */
export function optionsTable(readme: string): [string, string][] {
  const section = readme.slice(readme.indexOf('\n## Options\n'), readme.indexOf('\n## Metrics\n'));
  return [...section.matchAll(/^\| `(\w+)` \| [^|]*(?:\\\|[^|]*)* \| ([^|]+) \|/gm)].map((match) => [
    match[1]!,
    match[2]!.trim(),
  ]);
}

/** A default value as the Options table shows it: `'text'` for strings, JSON otherwise. */
export function shownDefault(value: unknown): string {
  return typeof value === 'string' ? `\`'${value}'\`` : `\`${JSON.stringify(value)}\``;
}
