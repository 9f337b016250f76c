import { TelemetryConfigError, type Telemetry } from '@agent-telemetry/core';
import { captureDiag } from '../../../test-support/diag';
import type { MetricsCollector } from '../src';
import { scrapeFamilies, scrapeSamples } from '../../../test-support/exposition';
import { setup } from './setup';

let telemetry: Telemetry;
let collector: MetricsCollector;
beforeEach(() => ({ telemetry, collector } = setup()));
afterEach(() => telemetry.shutdown());

const executions = (
  success: number,
  error: number,
  timeout: number,
  labels = 'package="ticket-resolver",tier="premium"',
) =>
  `agent_executions_total{${labels},status="success"} ${success}\n` +
  `agent_executions_total{${labels},status="error"} ${error}\n` +
  `agent_executions_total{${labels},status="timeout"} ${timeout}\n`;

/** The samples (no HELP/TYPE) of the given families. */
function samples(...names: string[]): Promise<string> {
  return scrapeSamples(telemetry, ...names);
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

describe('as a function wrapper', () => {
  test('a sync function stays sync and keeps this, arguments and return value', async () => {
    const self = { factor: 3 };
    const result = { answer: 42 };
    const fn = jest.fn(function (this: typeof self, a: number, b: number) {
      expect(this).toBe(self);
      expect([a, b]).toEqual([1, 2]);
      return result;
    });
    const tracked = collector.trackAgentExecution('ticket-resolver', 'premium')(fn);
    expect(tracked.call(self, 1, 2)).toBe(result);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(await samples('agent_executions_total', 'agent_executions_active')).toBe(
      executions(1, 0, 0) + 'agent_executions_active{package="ticket-resolver",tier="premium"} 0\n',
    );
  });

  test('a sync throw reaches the caller as the same error object, with its stack', async () => {
    const error = new Error('boom');
    const stack = error.stack;
    const tracked = collector.trackAgentExecution(
      'ticket-resolver',
      'premium',
    )(() => {
      throw error;
    });
    let caught: unknown;
    try {
      tracked();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBe(error);
    expect((caught as Error).stack).toBe(stack);
    expect(await samples('agent_executions_total', 'agent_executions_active')).toBe(
      executions(0, 1, 0) + 'agent_executions_active{package="ticket-resolver",tier="premium"} 0\n',
    );
  });

  test("the returned promise is the function's own promise, resolved or rejected unchanged", async () => {
    const tracker = collector.trackAgentExecution('ticket-resolver', 'premium');
    const value = { text: 'ok' };
    const resolved = Promise.resolve(value);
    const error = new Error('rejected');
    const rejected = Promise.reject(error);
    expect(tracker(() => resolved)()).toBe(resolved);
    expect(tracker(() => rejected)()).toBe(rejected);
    await expect(resolved).resolves.toBe(value);
    await expect(rejected).rejects.toBe(error);
    expect(await samples('agent_executions_total')).toBe(executions(1, 1, 0));
  });

  test('a rejection with a timeout counts as status timeout', async () => {
    const tracker = collector.trackAgentExecution('ticket-resolver', 'premium');
    const timeouts = [
      Object.assign(new Error('Timed out after 3000ms'), { code: 'ETIMEDOUT' }), // opossum, Node sockets
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'), // AbortSignal.timeout()
      new TimeoutError('agent step took too long'),
    ];
    for (const error of timeouts) await expect(tracker(async () => Promise.reject(error))()).rejects.toBe(error);
    await expect(tracker(async () => Promise.reject(new Error('other')))()).rejects.toThrow('other');
    expect(await samples('agent_executions_total')).toBe(executions(0, 1, 3));
  });

  test("the wrapper keeps the function's name and length", () => {
    function resolveTicket(_ticket: string, _customer: string) {}
    const tracked = collector.trackAgentExecution('ticket-resolver', 'premium')(resolveTicket);
    expect([tracked.name, tracked.length]).toEqual(['resolveTicket', 2]);
  });

  test('records the duration of async executions (fake clock)', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const tracked = collector.trackAgentExecution(
        'ticket-resolver',
        'premium',
      )(() => new Promise((resolve) => setTimeout(resolve, 7000)));
      const done = tracked();
      await jest.advanceTimersByTimeAsync(7000);
      await done;
    } finally {
      jest.useRealTimers();
    }
    const labels = 'package="ticket-resolver",tier="premium"';
    const buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]
      .map((le) => `agent_execution_duration_seconds_bucket{${labels},le="${le}"} ${le >= 7 ? 1 : 0}\n`)
      .join('');
    expect(await scrapeFamilies(telemetry, 'agent_execution_duration_seconds')).toBe(
      '# HELP agent_execution_duration_seconds Agent execution duration.\n' +
        '# TYPE agent_execution_duration_seconds histogram\n' +
        buckets +
        `agent_execution_duration_seconds_bucket{${labels},le="+Inf"} 1\n` +
        `agent_execution_duration_seconds_sum{${labels}} 7\n` +
        `agent_execution_duration_seconds_count{${labels}} 1\n`,
    );
  });
});

describe('as a TypeScript 5 decorator', () => {
  test('async and sync methods keep this, return values and errors', async () => {
    class TicketResolver {
      private readonly _prefix = 'resolved';

      @collector.trackAgentExecution('ticket-resolver', 'premium')
      async resolve(ticket: string): Promise<string> {
        await Promise.resolve();
        if (ticket === 'bad') throw new Error(`cannot resolve ${ticket}`);
        return `${this._prefix}: ${ticket}`;
      }

      @collector.trackAgentExecution('ticket-resolver', 'free')
      triage(ticket: string): string {
        return `${this._prefix} (triage): ${ticket}`;
      }
    }

    const resolver = new TicketResolver();
    await expect(resolver.resolve('T-1')).resolves.toBe('resolved: T-1');
    await expect(resolver.resolve('bad')).rejects.toThrow('cannot resolve bad');
    expect(resolver.triage('T-2')).toBe('resolved (triage): T-2');
    expect(await samples('agent_executions_total', 'agent_executions_active')).toBe(
      executions(1, 1, 0) +
        executions(1, 0, 0, 'package="ticket-resolver",tier="free"') +
        'agent_executions_active{package="ticket-resolver",tier="premium"} 0\n' +
        'agent_executions_active{package="ticket-resolver",tier="free"} 0\n',
    );
  });

  test('decorating anything but a method is a TelemetryConfigError when the class is defined', () => {
    const tracker = collector.trackAgentExecution('ticket-resolver', 'premium');
    expect(() => {
      class Broken {
        // @ts-expect-error a getter is not a method
        @tracker get value() {
          return 1;
        }
      }
      return Broken;
    }).toThrow(
      new TelemetryConfigError('trackAgentExecution() target', 'getter', 'a method (not a getter, setter or field)'),
    );
  });
});

describe('as a legacy (experimentalDecorators) decorator', () => {
  test('replaces descriptor.value and keeps this', async () => {
    class Agent {
      constructor(readonly id: string) {}
      run(input: string) {
        return `${this.id}:${input}`;
      }
    }
    const descriptor = Object.getOwnPropertyDescriptor(Agent.prototype, 'run')!;
    const tracker = collector.trackAgentExecution('ticket-resolver', 'premium');
    Object.defineProperty(Agent.prototype, 'run', tracker(Agent.prototype, 'run', descriptor));
    expect(new Agent('a1').run('x')).toBe('a1:x');
    expect(await samples('agent_executions_total')).toBe(executions(1, 0, 0));
    expect(() => tracker(Agent.prototype, 'id', { get: () => 'x' })).toThrow(
      new TelemetryConfigError('trackAgentExecution() target', 'id', 'a method (not a getter, setter or field)'),
    );
  });
});

describe('arguments are checked when the tracker is created', () => {
  test.each([
    [
      () => collector.trackAgentExecution('', 'premium'),
      new TelemetryConfigError('trackAgentExecution(packageName)', '', 'a non-empty string'),
    ],
    [
      () => collector.trackAgentExecution('p', null as unknown as string),
      new TelemetryConfigError('trackAgentExecution(tier)', null, 'a non-empty string'),
    ],
    [
      () => collector.trackAgentExecution('p', 'premium', { model: '' }),
      new TelemetryConfigError('trackAgentExecution(options.model)', '', 'a non-empty string'),
    ],
    [
      () => collector.trackAgentExecution('p', 'premium')('not a function' as never),
      new TelemetryConfigError('trackAgentExecution() target', 'not a function', 'a function'),
    ],
  ])('%#', (create, error) => {
    expect(create).toThrow(error);
  });
});

describe('tokens and cost', () => {
  const labels = 'package="ticket-resolver",tier="premium"';
  const tokens = (input: number, output: number) =>
    `agent_tokens_used_total{${labels},type="input"} ${input}\n` +
    `agent_tokens_used_total{${labels},type="output"} ${output}\n`;

  test('from an Anthropic message result, priced by its dated model name', async () => {
    const message = {
      model: 'claude-sonnet-4-20250514',
      usage: { input_tokens: 2000, output_tokens: 1000, cache_read_input_tokens: 0 },
    };
    await collector.trackAgentExecution('ticket-resolver', 'premium')(async () => message)();
    // (2000 * $3 + 1000 * $15) / 1e6
    expect(await samples('agent_tokens_used_total', 'agent_cost_usd_total', 'llm_unpriced_tokens_total')).toBe(
      tokens(2000, 1000) + `agent_cost_usd_total{${labels}} 0.021\n`,
    );
  });

  test('from an OpenAI chat completion result, cached prompt tokens at the cached price', async () => {
    const completion = {
      model: 'gpt-4o-mini-2024-07-18',
      usage: { prompt_tokens: 10000, completion_tokens: 2000, prompt_tokens_details: { cached_tokens: 4000 } },
    };
    collector.trackAgentExecution('ticket-resolver', 'premium')(() => completion)();
    // (6000 * $0.15 + 4000 * $0.075 + 2000 * $0.60) / 1e6
    expect(await samples('agent_tokens_used_total', 'agent_cost_usd_total')).toBe(
      tokens(6000, 2000) +
        `agent_tokens_used_total{${labels},type="cache_read"} 4000\n` +
        `agent_cost_usd_total{${labels}} 0.0024\n`,
    );
  });

  test('a result without a model is priced with options.model', async () => {
    const tracker = collector.trackAgentExecution('ticket-resolver', 'premium', { model: 'gpt-4.1' });
    tracker(() => ({ answer: 'x', usage: { input_tokens: 500000, output_tokens: 125000 } }))();
    expect(await samples('agent_cost_usd_total')).toBe(`agent_cost_usd_total{${labels}} 2\n`);
  });

  test('a model without a price: tokens counted as unpriced and reported once, no cost', async () => {
    const logs = captureDiag();
    try {
      const tracker = collector.trackAgentExecution('ticket-resolver', 'premium');
      const run = tracker(async (model: string) => ({ model, usage: { input_tokens: 100, output_tokens: 20 } }));
      await run('in-house-llm');
      await run('in-house-llm');
      await tracker(async () => ({ usage: { input_tokens: 5, output_tokens: 5 } }))();
      expect(await samples('agent_tokens_used_total', 'agent_cost_usd_total', 'llm_unpriced_tokens_total')).toBe(
        tokens(205, 45) +
          'llm_unpriced_tokens_total{model="in-house-llm"} 240\n' +
          'llm_unpriced_tokens_total{model="unknown"} 10\n',
      );
      expect(logs.warnings).toEqual([
        expect.stringContaining('no price for model "in-house-llm"'),
        expect.stringContaining('token usage without a model name'),
      ]);
    } finally {
      logs.stop();
    }
  });

  test('from the tracked LLM calls an execution made, also when it fails afterwards', async () => {
    const sonnet = collector.trackLlmCall(
      'Anthropic',
      'claude-sonnet-4',
    )(async () => ({ usage: { input_tokens: 1000, output_tokens: 200 } }));
    const mini = collector.trackLlmCall(
      'OpenAI',
      'gpt-4o-mini',
    )(async () => ({ usage: { prompt_tokens: 3000, completion_tokens: 1000 } }));
    const tracker = collector.trackAgentExecution('ticket-resolver', 'premium');
    const error = new Error('parse failure');
    await tracker(async () => {
      await sonnet();
      await Promise.all([mini(), mini()]);
      return 'a plain answer';
    })();
    await expect(
      tracker(async () => {
        await sonnet();
        throw error;
      })(),
    ).rejects.toBe(error);
    // sonnet: 2 x (1000 * $3 + 200 * $15) = 12000; mini: 6000 * $0.15 + 2000 * $0.6 = 2100
    expect(await samples('agent_executions_total', 'agent_tokens_used_total', 'agent_cost_usd_total')).toBe(
      executions(1, 1, 0) + tokens(8000, 2400) + `agent_cost_usd_total{${labels}} 0.0141\n`,
    );
  });

  test('a result with usage but no model is priced by the one model its tracked calls used', async () => {
    // The calls report no usage of their own (else theirs, exact per call, would be recorded).
    const call = collector.trackLlmCall('Anthropic', 'claude-sonnet-4')(async () => ({ model: 'claude-sonnet-4' }));
    await collector.trackAgentExecution(
      'ticket-resolver',
      'premium',
    )(async () => {
      await call();
      await call();
      return { usage: { input_tokens: 1000000, output_tokens: 0 } };
    })();
    expect(await samples('agent_tokens_used_total', 'agent_cost_usd_total')).toBe(
      tokens(1000000, 0) + `agent_cost_usd_total{${labels}} 3\n`,
    );
  });

  test('invalid counts in a result are dropped and counted, never thrown, never a NaN', async () => {
    const result = { model: 'gpt-4o', usage: { input_tokens: -5, output_tokens: NaN } };
    expect(collector.trackAgentExecution('ticket-resolver', 'premium')(() => result)()).toBe(result);
    expect(await samples('agent_telemetry_recordings_dropped_total', 'agent_cost_usd_total')).toBe(
      'agent_telemetry_recordings_dropped_total{metric="agent_tokens_used_total",reason="negative_value"} 1\n' +
        'agent_telemetry_recordings_dropped_total{metric="agent_tokens_used_total",reason="non_finite_value"} 1\n',
    );
    expect((await telemetry.scrape()).replace(/^#.*\n/gm, '')).not.toMatch(/NaN|\} -/);
  });

  test('a failure inside our recording is logged once and never reaches the caller', async () => {
    const logs = captureDiag();
    try {
      const hostile = {
        get usage(): never {
          throw new Error('usage getter exploded');
        },
      };
      const tracker = collector.trackAgentExecution('ticket-resolver', 'premium');
      expect(tracker(() => hostile)()).toBe(hostile);
      await expect(tracker(async () => hostile)()).resolves.toBe(hostile);
      expect(logs.errors).toEqual([
        expect.stringContaining('trackAgentExecution: recording a call failed Error: usage getter exploded'),
      ]);
      expect(await samples('agent_executions_total', 'agent_executions_active')).toBe(
        executions(2, 0, 0) + `agent_executions_active{${labels}} 0\n`,
      );
    } finally {
      logs.stop();
    }
  });
});

test('the active gauge stays balanced under 1,000 concurrent executions with random failures', async () => {
  const tracker = collector.trackAgentExecution('ticket-resolver', 'premium');
  const releases: Array<() => void> = [];
  const outcomes = { success: 0, error: 0, timeout: 0 };
  const run = tracker(async (i: number) => {
    await new Promise<void>((resolve) => releases.push(resolve));
    const roll = Math.random();
    if (roll < 0.2) throw new Error(`execution ${i} failed`);
    if (roll < 0.3) throw Object.assign(new Error(`execution ${i} timed out`), { code: 'ETIMEDOUT' });
    return i;
  });
  const syncFailures = tracker((i: number) => {
    if (i % 2 === 0) throw new Error('sync failure');
    return i;
  });

  const pending = Array.from({ length: 1000 }, (_, i) => run(i));
  expect(await samples('agent_executions_active')).toBe(
    'agent_executions_active{package="ticket-resolver",tier="premium"} 1000\n',
  );
  for (let i = 0; i < 10; i++) {
    try {
      syncFailures(i);
      outcomes.success++;
    } catch {
      outcomes.error++;
    }
  }
  // Release in a shuffled order, so executions end out of their start order.
  releases.sort(() => Math.random() - 0.5).forEach((release) => release());
  for (const result of await Promise.allSettled(pending)) {
    if (result.status === 'fulfilled') outcomes.success++;
    else if ((result.reason as { code?: string }).code === 'ETIMEDOUT') outcomes.timeout++;
    else outcomes.error++;
  }
  expect(outcomes.success + outcomes.error + outcomes.timeout).toBe(1010);
  expect(
    await samples('agent_executions_total', 'agent_executions_active', 'agent_execution_duration_seconds_count'),
  ).toBe(
    executions(outcomes.success, outcomes.error, outcomes.timeout) +
      'agent_execution_duration_seconds_count{package="ticket-resolver",tier="premium"} 1010\n' +
      'agent_executions_active{package="ticket-resolver",tier="premium"} 0\n',
  );
});
