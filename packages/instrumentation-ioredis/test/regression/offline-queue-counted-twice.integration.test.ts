import Redis from 'ioredis';
import { instrument, operations, REDIS_URL, uniqueKey } from '../helpers';
import { family } from '../../../../test-support/exposition';
import { installTracerProvider } from '../../../../test-support/tracing';

// ioredis sends a command queued while the client was offline (or in flight when the connection
// dropped) through `sendCommand` a second time. The upstream instrumentation counted such a
// command twice (two spans); the metrics and the spans must count it once.
describe('a command sent again by ioredis is counted once', () => {
  const exporter = installTracerProvider();

  test('queued while offline', async () => {
    const env = instrument({ requireParentSpan: false });
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    const key = uniqueKey('offline');
    try {
      expect(redis.status).toBe('wait');
      expect(await redis.get(key)).toBeNull(); // queued, then sent once the client is ready
      const exposition = await env.telemetry.scrape();
      expect(family(exposition, 'redis_operations_total').split('\n').slice(2)).toEqual([
        'redis_operations_total{operation="get",status="success"} 1',
      ]);
      expect(exposition).toContain('redis_operation_duration_seconds_count{operation="get"} 1');
      expect(exporter.getFinishedSpans().filter((span) => span.name === 'get')).toHaveLength(1);
    } finally {
      redis.disconnect();
      await env.stop();
    }
  });

  test('in flight when the connection dropped (autoResendUnfulfilledCommands)', async () => {
    const admin = new Redis(REDIS_URL);
    const redis = new Redis(REDIS_URL);
    const list = uniqueKey('resend');
    await redis.ping();
    const id = await redis.client('ID');
    const env = instrument();
    try {
      const popped = redis.blpop(list, 10);
      const readyAgain = new Promise((resolve) => redis.once('ready', resolve));
      await admin.client('KILL', 'ID', String(id));
      await readyAgain; // reconnected, BLPOP sent again
      await admin.rpush(list, 'x');
      expect(await popped).toEqual([list, 'x']);
      // The admin client's CLIENT KILL and RPUSH count too; BLPOP, sent twice, once.
      expect(await operations(env)).toEqual([
        'redis_operations_total{operation="client",status="success"} 1',
        'redis_operations_total{operation="blpop",status="success"} 1',
        'redis_operations_total{operation="rpush",status="success"} 1',
      ]);
    } finally {
      await admin.del(list);
      admin.disconnect();
      redis.disconnect();
      await env.stop();
    }
  });
});
