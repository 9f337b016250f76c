import Redis, { Command } from 'ioredis';
import type { IORedisTelemetryOptions } from '../src';
import { IORedisInstrumentation } from '../src/instrumentation';
import { instrument, operations, REDIS_URL, uniqueKey } from './helpers';
import { family } from '../../../test-support/exposition';
import { closedPort } from '../../../test-support/http';
import type { Instrumented } from '../../../test-support/telemetry';

describe('ioredis command metrics', () => {
  let env: Instrumented;
  let redis: Redis;
  let key: string;

  beforeEach(async () => {
    env = instrument();
    redis = new Redis(REDIS_URL, { lazyConnect: true });
    await redis.connect();
    key = uniqueKey('cmd');
  });
  afterEach(async () => {
    await redis.del(key, `${key}:list`);
    redis.disconnect();
    await env.stop();
  });

  test('every command is counted, outside any span, with the exact exposition', async () => {
    await redis.set(key, '1');
    expect(await redis.get(key)).toBe('1');
    expect(await redis.incr(key)).toBe(2);
    await new Promise<void>((resolve, reject) =>
      redis.get(key, (err, value) => (err ? reject(err) : value === '2' ? resolve() : reject(new Error(value!)))),
    );
    await redis.call('GET', key); // upper-case command names are folded

    const exposition = await env.telemetry.scrape();
    expect(family(exposition, 'redis_operations_total')).toBe(
      [
        '# HELP redis_operations_total Redis commands, by command name and status (success, error).',
        '# TYPE redis_operations_total counter',
        'redis_operations_total{operation="set",status="success"} 1',
        'redis_operations_total{operation="get",status="success"} 3',
        'redis_operations_total{operation="incr",status="success"} 1',
      ].join('\n'),
    );
    const bounds = [
      '0.0001',
      '0.00025',
      '0.0005',
      '0.001',
      '0.0025',
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.1',
      '0.5',
      '1',
    ];
    const duration = family(exposition, 'redis_operation_duration_seconds')
      .split('\n')
      .filter((line) => line.startsWith('#') || line.includes('operation="get"'))
      .map((line) => (/_sum\{|,le="(?!\+Inf)/.test(line) ? line.replace(/ \S+$/, ' <v>') : line));
    expect(duration).toEqual([
      '# HELP redis_operation_duration_seconds Redis command duration, by command name.',
      '# TYPE redis_operation_duration_seconds histogram',
      ...bounds.map((le) => `redis_operation_duration_seconds_bucket{operation="get",le="${le}"} <v>`),
      'redis_operation_duration_seconds_bucket{operation="get",le="+Inf"} 3',
      'redis_operation_duration_seconds_sum{operation="get"} <v>',
      'redis_operation_duration_seconds_count{operation="get"} 3',
    ]);
  });

  test('a command name sent again records through the series bound the first time', async () => {
    const { redis_operations_total: operationsTotal, redis_operation_duration_seconds: duration } =
      env.telemetry.metrics;
    const bind = [jest.spyOn(operationsTotal, 'labels'), jest.spyOn(duration, 'labels')];
    const unbound = [jest.spyOn(operationsTotal, 'inc'), jest.spyOn(duration, 'observe')];
    for (let i = 0; i < 5; i++) await redis.get(key);
    expect(bind.map((spy) => spy.mock.calls)).toEqual([
      [[{ operation: 'get', status: 'success' }]],
      [[{ operation: 'get' }]],
    ]);
    for (const spy of unbound) expect(spy).not.toHaveBeenCalled();
    expect(await operations(env)).toEqual(['redis_operations_total{operation="get",status="success"} 5']);
  });

  test('a pipeline counts each of its commands', async () => {
    const results = await redis.pipeline().set(key, 'a').get(key).incr(key).rpush(`${key}:list`, 'x').exec();
    expect(results![2]![0]).toBeInstanceOf(Error); // INCR of "a" fails, in the pipeline's reply
    expect(await operations(env)).toEqual([
      'redis_operations_total{operation="set",status="success"} 1',
      'redis_operations_total{operation="get",status="success"} 1',
      'redis_operations_total{operation="incr",status="error"} 1',
      'redis_operations_total{operation="rpush",status="success"} 1',
    ]);
  });

  test('MULTI counts multi, each queued command and exec', async () => {
    const results = await redis.multi().set(key, 'a').get(key).exec();
    expect(results).toEqual([
      [null, 'OK'],
      [null, 'a'],
    ]);
    expect(await operations(env)).toEqual([
      'redis_operations_total{operation="multi",status="success"} 1',
      'redis_operations_total{operation="set",status="success"} 1',
      'redis_operations_total{operation="get",status="success"} 1',
      'redis_operations_total{operation="exec",status="success"} 1',
    ]);

    // A command Redis refuses to queue fails, and so does EXEC.
    await expect(redis.multi().set(key, 'b').call('NOSUCHCOMMAND').exec()).rejects.toThrow(/^EXECABORT/);
    expect(await operations(env)).toEqual([
      'redis_operations_total{operation="multi",status="success"} 2',
      'redis_operations_total{operation="set",status="success"} 2',
      'redis_operations_total{operation="get",status="success"} 1',
      'redis_operations_total{operation="exec",status="success"} 1',
      'redis_operations_total{operation="nosuchcommand",status="error"} 1',
      'redis_operations_total{operation="exec",status="error"} 1',
    ]);
  });

  test('a Redis error gives status="error" and reaches the caller unchanged', async () => {
    await redis.set(key, 'text');
    const wrongType = await redis.lpush(key, 'x').catch((err: Error) => err);
    const unknown = await redis.call('NOSUCHCOMMAND', key).catch((err: Error) => err);
    expect(wrongType).toMatchObject({ name: 'ReplyError' });
    expect((wrongType as Error).message).toMatch(/^WRONGTYPE/);
    expect((unknown as Error).message).toMatch(/^ERR unknown command/);
    expect(await operations(env)).toEqual([
      'redis_operations_total{operation="set",status="success"} 1',
      'redis_operations_total{operation="lpush",status="error"} 1',
      'redis_operations_total{operation="nosuchcommand",status="error"} 1',
    ]);

    // Without the instrumentation the same commands give errors of the same shape.
    env.plugin.disable();
    const plainWrongType = await redis.lpush(key, 'x').catch((err: Error) => err);
    expect(Object.getPrototypeOf(wrongType)).toBe(Object.getPrototypeOf(plainWrongType));
    expect((wrongType as Error).message).toBe((plainWrongType as Error).message);
    expect(Object.keys(wrongType as Error)).toEqual(Object.keys(plainWrongType as Error));
    expect((wrongType as Error).stack).not.toContain('instrumentation-ioredis/src');
  });

  test('the promise ioredis returns is returned itself, and await yields its error object', async () => {
    await redis.set(key, 'text');
    const command = new Command('lpush', [key, 'x']);
    const returned = redis.sendCommand(command);
    expect(returned).toBe(command.promise);
    let caught: unknown;
    try {
      await returned;
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ name: 'ReplyError' });
    expect(caught).toBe(await command.promise.catch((err: unknown) => err));
    expect(await operations(env)).toContain('redis_operations_total{operation="lpush",status="error"} 1');
  });

  test('a callback receives the error ioredis produced', async () => {
    await redis.set(key, 'text');
    const viaCallback = await new Promise<Error | null | undefined>((resolve) =>
      redis.lpush(key, 'x', (err) => resolve(err)),
    );
    expect(viaCallback).toMatchObject({ name: 'ReplyError' });
    expect(await operations(env)).toContain('redis_operations_total{operation="lpush",status="error"} 1');
  });
});

describe('ioredis connection failures', () => {
  let env: Instrumented;
  beforeEach(() => (env = instrument()));
  afterEach(() => env.stop());

  test('an unreachable port gives status="error" and the caller the error ioredis raised', async () => {
    const port = await closedPort();
    // No retry: the queued command fails as soon as the connection does.
    const redis = new Redis({ host: '127.0.0.1', port, retryStrategy: () => null });
    const connectionErrors: Error[] = [];
    redis.on('error', (err: Error) => connectionErrors.push(err));
    const closed = await redis.get('k').catch((err: Error) => err);
    expect(closed).toBeInstanceOf(Error);
    expect((closed as Error).message).toBe('Connection is closed.');
    expect(connectionErrors[0]).toMatchObject({ code: 'ECONNREFUSED' });

    // With retries: the command gives up after maxRetriesPerRequest (the client after 3 attempts).
    const retrying = new Redis({
      host: '127.0.0.1',
      port,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => (attempt < 3 ? 10 : null),
    });
    retrying.on('error', () => {});
    const ended = new Promise((resolve) => retrying.once('end', resolve));
    const gaveUp = await retrying.get('k').catch((err: Error) => err);
    await ended;
    expect(gaveUp).toMatchObject({ name: 'MaxRetriesPerRequestError' });

    // Without an offline queue: rejected at once.
    const unqueued = new Redis({
      host: '127.0.0.1',
      port,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    unqueued.on('error', () => {});
    const rejected = await unqueued.get('k').catch((err: Error) => err);
    expect((rejected as Error).message).toBe("Stream isn't writeable and enableOfflineQueue options is false");
    unqueued.disconnect();

    expect(await operations(env)).toEqual(['redis_operations_total{operation="get",status="error"} 3']);
  });
});

describe('ioredis handshake commands', () => {
  // connectionName and db make ioredis send CLIENT SETNAME and SELECT on connect.
  const options = { connectionName: 'agent-telemetry-test', db: 1 };

  test('are not counted by default', async () => {
    const env = instrument();
    const redis = new Redis(REDIS_URL, options);
    await redis.ping();
    redis.disconnect();
    expect(await operations(env)).toEqual(['redis_operations_total{operation="ping",status="success"} 1']);
    await env.stop();
  });

  test('are counted with includeHandshakeCommands', async () => {
    const env = instrument({ includeHandshakeCommands: true });
    const redis = new Redis(REDIS_URL, options);
    await redis.ping();
    redis.disconnect();
    const counted = (await operations(env)).map((line) =>
      line.replace(/^redis_operations_total\{operation="([a-z]+)".*/, '$1'),
    );
    expect(counted).toEqual(expect.arrayContaining(['select', 'client', 'info', 'ping']));
    await env.stop();
  });
});

describe('IORedisInstrumentation#getConfig', () => {
  test("gives this package's options, defaults merged, as setConfig() left them", () => {
    const instrumentation = new IORedisInstrumentation({ requireParentSpan: false });
    const config: IORedisTelemetryOptions = instrumentation.getConfig();
    expect(config).toMatchObject({ includeHandshakeCommands: false, requireParentSpan: false });
    instrumentation.setConfig({ includeHandshakeCommands: true });
    expect(instrumentation.getConfig().includeHandshakeCommands).toBe(true);
  });
});
