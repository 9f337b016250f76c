import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { failWith, hang, startLlmProvider, type LlmProvider } from '../../../test-support/llmProvider';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

// The Vercel AI SDK 7 (`ai`, `@ai-sdk/openai`, `@ai-sdk/anthropic`) with llmMetricsMiddleware,
// against the local server. `ai` is ESM only, so each scenario runs in a real Node process.
describe('Vercel AI SDK middleware', () => {
  let provider: LlmProvider;
  beforeAll(async () => {
    provider = await startLlmProvider();
  });
  afterAll(() => provider.close());
  afterEach(() => provider.reset());

  const TIMED = /^(llm_api_duration|llm_time_to_first_token|agent_execution_duration)_seconds_(bucket|sum)/;
  async function run(scenario: string, ...families: string[]): Promise<{ result: any; samples: string }> {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(__dirname, 'fixtures', 'ai-sdk.mjs'), scenario],
      {
        env: { ...process.env, PROVIDER_URL: provider.url, AI_SDK_LOG_WARNINGS: 'false' },
        timeout: 20_000,
      },
    );
    const { result, exposition } = JSON.parse(stdout) as { result: unknown; exposition: string };
    const pattern = new RegExp(`^(?:${families.join('|')})(?:_count)?[{ ]`);
    const samples = exposition
      .split('\n')
      .filter((line) => pattern.test(line) && !TIMED.test(line))
      .map((line) => `${line}\n`)
      .join('');
    return { result, samples };
  }

  test('generateText and streamText read the AI SDK usage shape: cached and reasoning tokens apart', async () => {
    const { result, samples } = await run(
      'generate',
      'llm_api_calls_total',
      'llm_tokens_used_total',
      'llm_cost_usd_total',
      'llm_time_to_first_token_seconds',
    );
    expect(result).toEqual({ text: 'The answer is 42.', streamed: 'The answer is 42.', inputTokens: 1200 });
    expect(samples).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="success"} 1\n' +
        'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4-5",status="success"} 1\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4o",type="input"} 200\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4o",type="output"} 200\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4o",type="cache_read"} 1000\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4o",type="reasoning"} 100\n' +
        'llm_tokens_used_total{provider="anthropic",model="claude-sonnet-4-5",type="input"} 100\n' +
        'llm_tokens_used_total{provider="anthropic",model="claude-sonnet-4-5",type="output"} 250\n' +
        'llm_tokens_used_total{provider="anthropic",model="claude-sonnet-4-5",type="cache_read"} 5000\n' +
        'llm_tokens_used_total{provider="anthropic",model="claude-sonnet-4-5",type="cache_write"} 2000\n' +
        'llm_cost_usd_total{provider="openai",model="gpt-4o"} 0.00475\n' +
        'llm_cost_usd_total{provider="anthropic",model="claude-sonnet-4-5"} 0.01305\n' +
        'llm_time_to_first_token_seconds_count{provider="anthropic",model="claude-sonnet-4-5"} 1\n',
    );
  });

  test('generateObject and streamObject are recorded as calls too', async () => {
    const { result, samples } = await run('objects', 'llm_api_calls_total');
    expect(result).toEqual({ generated: 'AI_NoObjectGeneratedError', streamed: 'AI_NoObjectGeneratedError' });
    expect(samples).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="success"} 1\n' +
        'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4-5",status="success"} 1\n',
    );
  });

  test('inside trackAgentExecution, the agent gets the calls’ tokens and cost with no code', async () => {
    const { samples } = await run('agent', 'agent_tokens_used_total', 'agent_cost_usd_total');
    expect(samples).toBe(
      'agent_tokens_used_total{package="answerer",tier="premium",type="input"} 400\n' +
        'agent_tokens_used_total{package="answerer",tier="premium",type="output"} 400\n' +
        'agent_tokens_used_total{package="answerer",tier="premium",type="cache_read"} 2000\n' +
        'agent_tokens_used_total{package="answerer",tier="premium",type="reasoning"} 200\n' +
        'agent_cost_usd_total{package="answerer",tier="premium"} 0.0095\n',
    );
  });

  test('a RetryError is classified by its last error; each attempt is a call', async () => {
    provider.script(failWith(429), failWith(429), failWith(429));
    const { result, samples } = await run('retries', 'llm_api_calls_total', 'llm_api_errors_total');
    expect(result).toEqual({ name: 'AI_RetryError', classified: 'rate_limit' });
    expect(samples).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="error"} 3\n' +
        'llm_api_errors_total{provider="openai",error_type="rate_limit"} 3\n',
    );
  });

  test('AbortSignal.timeout() through the AI SDK is a timeout', async () => {
    provider.script(hang);
    const { result, samples } = await run('timeout', 'llm_api_calls_total', 'llm_api_errors_total');
    expect(result.classified).toBe('timeout');
    expect(samples).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="error"} 1\n' +
        'llm_api_errors_total{provider="openai",error_type="timeout"} 1\n',
    );
  });

  test('a stream aborted by the consumer after its first token: cancelled', async () => {
    const { samples } = await run('early', 'llm_api_calls_total', 'llm_api_errors_total');
    expect(samples).toBe(
      'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4-5",status="cancelled"} 1\n' +
        'llm_api_errors_total{provider="anthropic",error_type="cancelled"} 1\n',
    );
  });
});
