#!/usr/bin/env node
/**
 * `npx agent-telemetry-docs <module> [--write <file>]`: the metric reference of the service's own
 * metrics, as the README's is generated for the catalogue.
 */
import type { MetricTable } from '@agent-telemetry/core';
import {
  isMetricTable,
  renderMetricTable,
  replaceSection,
  serviceReferenceRows,
} from '@agent-telemetry/core/instrumentation-support';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const USAGE = `Usage: agent-telemetry-docs <module> [--write <file>]

Prints the metric reference (a Markdown table) of every defineMetrics() table that <module>
exports. With --write, puts it between the lines <!-- service-metrics:start --> and
<!-- service-metrics:end --> of <file> instead. <module> may be CommonJS, an ES module, or
TypeScript where Node strips its types (Node >= 22.18).
`;
const START = '<!-- service-metrics:start';
const END = '<!-- service-metrics:end -->';

async function main(args: readonly string[]): Promise<number> {
  const writeAt = args.indexOf('--write');
  const file = writeAt < 0 ? undefined : args[writeAt + 1];
  const modules = writeAt < 0 ? args : args.filter((_arg, i) => i !== writeAt && i !== writeAt + 1);
  if (modules.length !== 1 || (writeAt >= 0 && file === undefined) || modules[0]!.startsWith('-')) {
    process.stderr.write(USAGE);
    return 2;
  }
  const tables = exportedTables(await import(pathToFileURL(resolve(modules[0]!)).href));
  if (tables.length === 0) {
    process.stderr.write(`agent-telemetry-docs: ${modules[0]} exports no defineMetrics() table\n`);
    return 1;
  }
  const reference = renderMetricTable(tables.flatMap((table) => serviceReferenceRows(table)));
  if (file === undefined) {
    process.stdout.write(`${reference}\n`);
  } else {
    writeFileSync(file, replaceSection(readFileSync(file, 'utf8'), START, END, reference));
  }
  return 0;
}

/** The tables among a module's exports (named, or properties of a CommonJS default export). */
function exportedTables(namespace: Record<string, unknown>): MetricTable[] {
  const values = Object.values(namespace);
  const fromDefault = typeof namespace['default'] === 'object' ? Object.values(namespace['default'] ?? {}) : [];
  return [...new Set([...values, ...fromDefault].filter(isMetricTable))];
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`agent-telemetry-docs: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
