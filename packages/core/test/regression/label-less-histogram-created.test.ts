// Bug: a histogram without labels threw a TypeError when created: the instrument's base
// constructor makes the one series of a label-less metric before the histogram's own fields
// are set. The catalogue has no such histogram; a service's own table may.
import { MetricRegistry, PrometheusTextSerializer } from '../../src';
import { familyText } from '../../../../test-support/exposition';

test('a label-less histogram of the service is created, exposed from the start, and records', () => {
  const registry = new MetricRegistry({
    metrics: { batch_duration_seconds: { kind: 'histogram', unit: 's', help: 'Batch time.', labels: [] } },
  });
  registry.metrics.batch_duration_seconds.observe({}, 3);
  const text = new PrometheusTextSerializer().serialize(registry.collectSync());
  expect(familyText(text, 'batch_duration_seconds')).toContain('batch_duration_seconds_bucket{le="5"} 1\n');
  expect(familyText(text, 'batch_duration_seconds')).toContain('batch_duration_seconds_count 1\n');
});
