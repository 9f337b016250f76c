import { MetricRegistry } from '../src';
test('smoke', () => {
  const r = new MetricRegistry();
  r.metrics.http_requests_total.inc({ method: 'GET', endpoint: '/', status_code: 200 });
  expect(r.collectSync().scopeMetrics[0]!.metrics.length).toBeGreaterThan(0);
});
