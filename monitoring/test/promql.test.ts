import { expressionNames, metricNames } from './helpers/promql';

// The scanner the consistency checks rely on to find what a rule, panel or runbook reads.
describe('expressionNames', () => {
  it.each([
    ['up{job="agent-marketplace"} == 0', ['up'], [['up', ['job']]], []],
    [
      'sum by (job) (rate(http_requests_total{status_code=~"5.."}[5m]))',
      ['http_requests_total'],
      [['http_requests_total', ['status_code']]],
      ['job'],
    ],
    [
      'histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))',
      ['http_request_duration_seconds_bucket'],
      [['http_request_duration_seconds_bucket', []]],
      ['job', 'le'],
    ],
    [
      '(job:http_request_errors:rate5m or job:http_requests:rate5m * 0) / job:http_requests:rate5m',
      ['job:http_request_errors:rate5m', 'job:http_requests:rate5m'],
      [
        ['job:http_request_errors:rate5m', []],
        ['job:http_requests:rate5m', []],
        ['job:http_requests:rate5m', []],
      ],
      [],
    ],
    [
      'job:revenue_usd:increase1d < 0.8 * (job:revenue_usd:increase1d offset 1w)',
      ['job:revenue_usd:increase1d'],
      [
        ['job:revenue_usd:increase1d', []],
        ['job:revenue_usd:increase1d', []],
      ],
      [],
    ],
    [
      // Strings may hold anything, braces and commas included; numbers with exponents are no names.
      'a_total{path=~"/x{1,2}, y", b!="c"} > 1e6 unless on (job) group_left (tier) b_metric',
      ['a_total', 'b_metric'],
      [
        ['a_total', ['path', 'b']],
        ['b_metric', []],
      ],
      ['job', 'tier'],
    ],
    ['vector(1)', [], [], []],
    [
      'abs(x:y:z / (x:y:z offset 1d) - 1) > 0.5',
      ['x:y:z'],
      [
        ['x:y:z', []],
        ['x:y:z', []],
      ],
      [],
    ],
    [
      'max_over_time(m[1h:5m]) and bool m',
      ['m'],
      [
        ['m', []],
        ['m', []],
      ],
      [],
    ],
  ])('%s', (expr, names, selectors, grouping) => {
    expect(metricNames(expr)).toEqual(names);
    const found = expressionNames(expr);
    expect(found.selectors.map((s) => [s.metric, s.labels])).toEqual(selectors);
    expect(found.groupingLabels).toEqual(grouping);
  });
});
