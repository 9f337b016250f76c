import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hang, startLlmProvider, type LlmProvider } from '../../../test-support/llmProvider';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

// In a real process started with initTelemetry() (the require hook patches the SDKs loaded after
// it): the SDKs' own `timeout` option, whose abort error jest's realm hides from the SDKs.
describe('SDK timeouts, through initTelemetry()', () => {
  let provider: LlmProvider;
  beforeAll(async () => {
    provider = await startLlmProvider();
  });
  afterAll(() => provider.close());

  test('APIConnectionTimeoutError of openai and @anthropic-ai/sdk: timeout', async () => {
    provider.script(hang, hang);
    const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, 'fixtures', 'timeouts.js')], {
      env: {
        ...process.env,
        PROVIDER_URL: provider.url,
        OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,pg,ioredis',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      },
      timeout: 20_000,
    });
    const { errors, exposition } = JSON.parse(stdout) as { errors: string[]; exposition: string };
    expect(errors).toEqual(['APIConnectionTimeoutError', 'APIConnectionTimeoutError']);
    expect(exposition.split('\n').filter((line) => /^llm_api_(calls|errors)_total\{/.test(line))).toEqual([
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="error"} 1',
      'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4-5",status="error"} 1',
      'llm_api_errors_total{provider="openai",error_type="timeout"} 1',
      'llm_api_errors_total{provider="anthropic",error_type="timeout"} 1',
    ]);
  });
});
