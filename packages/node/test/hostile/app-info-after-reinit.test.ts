// Issue 9, point 11: after shutdown() and a second initTelemetry(), the first run's app_info
// series stayed beside the new one (the process-wide registry outlives each set-up).
import { getTelemetry, initTelemetry } from '../../src';
import { parseSamples } from '../../../../test-support/exposition';

afterEach(() => getTelemetry()?.shutdown());

test('a second initTelemetry() after shutdown() exposes only its own app_info', async () => {
  const quiet = { prometheus: { server: false }, runtimeMetrics: false } as const;
  await initTelemetry({ ...quiet, serviceName: 'marketplace', serviceVersion: '1.0.0' }).shutdown();
  const second = initTelemetry({ ...quiet, serviceName: 'marketplace', serviceVersion: '2.0.0' });
  const info = parseSamples(await second.scrape()).filter((sample) => sample.name === 'app_info');
  expect(info).toEqual([
    {
      name: 'app_info',
      labels: {
        version: '2.0.0',
        environment: expect.any(String),
        service: 'marketplace',
        node_version: process.version,
      },
      value: 1,
    },
  ]);
});
