// Bug: an observable gauge callback written as an async function could reject, and the promise it
// returned was dropped: an unhandled rejection, which terminates a Node process by default.
import { createTelemetry } from '../../src';
import { captureDiag } from '../../../../test-support/diag';

test('a rejecting async callback is caught and logged once, and the scrape goes on', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const logs = captureDiag();
  const telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
  try {
    telemetry.metrics.db_connections_max.addCallback(async () => {
      throw new Error('pool stats unavailable');
    });
    telemetry.metrics.db_connections_max.addCallback((observe) => observe({}, 10));

    expect(await telemetry.scrape()).toContain('db_connections_max 10\n');
    expect(await telemetry.scrape()).toContain('db_connections_max 10\n');
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(unhandled).toEqual([]);
    expect(logs.errors).toEqual([expect.stringContaining('pool stats unavailable')]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    logs.stop();
    await telemetry.shutdown();
  }
});
