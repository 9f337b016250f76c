import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { knownMetric, TARGET_LABELS } from './helpers/knownMetrics';
import { alerts, ROOT } from './helpers/monitoringFiles';
import { expressionNames } from './helpers/promql';
import { checkExpressions } from './helpers/tools';

const RUNBOOKS = path.join(ROOT, 'docs', 'runbooks');
const SECTIONS = ['## Meaning', '## First checks', '## Query', '## Mitigation'];

const read = (name: string): string => readFileSync(path.join(RUNBOOKS, `${name}.md`), 'utf8');

/** The expressions of a runbook's ```promql blocks, one per line. */
function queries(text: string): string[] {
  return [...text.matchAll(/```promql\n([\s\S]*?)```/g)].flatMap((block) =>
    block[1]!.split('\n').filter((line) => line.trim() !== ''),
  );
}

describe('docs/runbooks', () => {
  const alertNames = alerts().map((rule) => rule.alert!);

  it('has one runbook per alert and no other, plus an index listing them all', () => {
    const pages = readdirSync(RUNBOOKS).filter((file) => file !== 'README.md');
    expect(pages.sort()).toEqual(alertNames.map((name) => `${name}.md`).sort());
    const index = readFileSync(path.join(RUNBOOKS, 'README.md'), 'utf8');
    for (const name of alertNames) expect(index).toContain(`[${name}](${name}.md)`);
  });

  it.each(alerts().map((rule) => [rule.alert!, rule.labels!.severity] as const))(
    '%s: meaning, first checks, query and mitigation, with its severity',
    (name, severity) => {
      const text = read(name);
      expect(text.startsWith(`# ${name}\n`)).toBe(true);
      let last = -1;
      for (const section of SECTIONS) {
        const at = text.indexOf(`\n${section}\n`);
        expect([section, at > last]).toEqual([section, true]);
        last = at;
      }
      expect(text).toContain(`- **Severity**: ${severity}:`);
      expect(queries(text).length).toBeGreaterThan(0);
    },
  );

  it('gives queries that promtool accepts and that read existing metrics', async () => {
    const all = alertNames.flatMap((name) => queries(read(name)).map((expr) => ({ name, expr })));
    const result = await checkExpressions(all.map((query) => query.expr));
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${all.length} rules found`);
    for (const { name, expr } of all) {
      for (const selector of expressionNames(expr).selectors) {
        const known = knownMetric(selector.metric);
        expect([name, selector.metric, known]).toEqual([name, selector.metric, expect.anything()]);
        if (known?.labels === undefined) continue;
        for (const label of selector.labels)
          expect([name, selector.metric, [...known.labels, ...TARGET_LABELS]]).toEqual([
            name,
            selector.metric,
            expect.arrayContaining([label]),
          ]);
      }
    }
  });
});
