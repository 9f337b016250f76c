import { knownMetric, TARGET_LABELS } from './helpers/knownMetrics';
import { expressionNames } from './helpers/promql';

// The checks of the rules, panels and runbooks know the service's own metrics (the demo's
// defineMetrics() table), label names included, as they know the catalogue's.
/** The labels of `expr`'s selectors that its metrics do not carry, or undefined for an unknown metric. */
function unknownLabels(expr: string): string[] | undefined {
  const unknown: string[] = [];
  for (const selector of expressionNames(expr).selectors) {
    const known = knownMetric(selector.metric);
    if (known === undefined) return undefined;
    const carried = [...(known.labels ?? []), ...TARGET_LABELS];
    unknown.push(...selector.labels.filter((label) => !carried.includes(label)));
  }
  return unknown;
}

test("a rule reading the service's own metric passes the checks, with its labels", () => {
  expect(knownMetric('marketplace_customer_lookups_total')).toEqual({ source: 'service', labels: ['result'] });
  expect(
    unknownLabels(
      'sum by (job) (rate(marketplace_customer_lookups_total{result="missing"}[5m])) / sum by (job) (rate(marketplace_customer_lookups_total[5m])) > 0.5',
    ),
  ).toEqual([]);
});

test('a label the service metric does not have, or a metric nobody defines, is caught', () => {
  expect(unknownLabels('rate(marketplace_customer_lookups_total{tier="free"}[5m])')).toEqual(['tier']);
  expect(unknownLabels('rate(marketplace_customer_lookup_total[5m])')).toBeUndefined();
});
