// Bug: the standalone server's 'error' listener was removed once it listened; a later 'error'
// event then had no listener, and Node throws those, crashing the service.
import { createTelemetry } from '../../src';
import { captureDiag } from '../../../../test-support/diag';
import { request } from '../../../../test-support/http';

test('an error emitted by the listening metrics server is logged, not thrown', async () => {
  const logs = captureDiag();
  const telemetry = createTelemetry({ runtimeMetrics: false, prometheus: { host: '127.0.0.1', port: 0 } }, { env: {} });
  try {
    const { port } = await telemetry.metricsServer!.listening;
    expect(() => telemetry.metricsServer!.server.emit('error', new Error('EMFILE: too many open files'))).not.toThrow();
    expect(logs.errors).toEqual([expect.stringContaining('EMFILE')]);
    expect((await request(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
  } finally {
    logs.stop();
    await telemetry.shutdown();
  }
});
