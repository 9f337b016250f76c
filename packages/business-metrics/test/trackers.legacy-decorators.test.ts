// The business-metrics trackers compiled with `experimentalDecorators` (tsconfig.legacy-decorators.json).
import type { Telemetry } from '@agent-telemetry/core';
import type { MetricsCollector } from '../src';
import { scrapeSamples } from '../../../test-support/exposition';
import { setup } from './setup';

let telemetry: Telemetry;
let collector: MetricsCollector;
beforeEach(() => ({ telemetry, collector } = setup()));
afterEach(() => telemetry.shutdown());

test('trackAgentExecution and trackLlmCall as legacy method decorators', async () => {
  const track = collector;
  class TicketResolver {
    constructor(private readonly _prefix: string) {}

    @track.trackLlmCall('anthropic', 'claude-sonnet-4')
    async complete(prompt: string): Promise<{ text: string; usage: { input_tokens: number; output_tokens: number } }> {
      return { text: `${this._prefix}${prompt}`, usage: { input_tokens: 10, output_tokens: 4 } };
    }

    @track.trackAgentExecution('ticket-resolver', 'premium', { model: 'claude-sonnet-4' })
    async resolve(ticket: string): Promise<string> {
      return (await this.complete(ticket)).text;
    }
  }
  await expect(new TicketResolver('re: ').resolve('T-1')).resolves.toBe('re: T-1');
  expect(TicketResolver.prototype.resolve.name).toBe('resolve');
  expect(await scrapeSamples(telemetry, 'agent_executions_total', 'llm_api_calls_total')).toBe(
    'agent_executions_total{package="ticket-resolver",tier="premium",status="success"} 1\n' +
      'agent_executions_total{package="ticket-resolver",tier="premium",status="error"} 0\n' +
      'agent_executions_total{package="ticket-resolver",tier="premium",status="timeout"} 0\n' +
      'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4",status="success"} 1\n' +
      'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4",status="error"} 0\n',
  );
});
