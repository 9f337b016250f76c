// Bug: the registry kept `limit` label sets and then added the overflow series, one more series
// than the OTel SDK keeps for the same View limit (`limit - 1` plus the overflow series), and it
// labelled the overflow point `otel_metric_overflow: "true"` where the SDK sends
// `otel.metric.overflow: true` over OTLP.
import { MetricRegistry } from '../../src';

test('a metric never has more series than its limit, and the overflow point carries the SDK attribute', () => {
  const registry = new MetricRegistry({ cardinalityLimits: { rate_limit_hits_total: 10 } });
  for (let i = 0; i < 50; i++) registry.metrics.rate_limit_hits_total.inc({ tier: `tier-${i}`, type: 'requests' });
  const metric = registry
    .collectSync()
    .scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'rate_limit_hits_total')!;
  expect(metric.dataPoints).toHaveLength(10);
  expect(metric.dataPoints[9]).toMatchObject({ attributes: { 'otel.metric.overflow': true }, value: 41 });
});
