import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const FIXTURES = join(__dirname, 'fixtures');

/** Runs a fixture with `--require @agent-telemetry/node/register`; resolves with its stdout lines. */
function runWithRegister(fixture: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--require', '@agent-telemetry/node/register', join(FIXTURES, fixture)], {
    env: { ...process.env, ...env },
    timeout: 20000,
  });
}

test('--require register starts telemetry from the environment and serves /metrics', async () => {
  const { stdout } = await runWithRegister('scrape-standalone.js', {
    OTEL_SERVICE_NAME: 'register-test',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: '0',
    AGENT_TELEMETRY_RUNTIME_METRICS: 'false',
  });
  expect(stdout).toContain('status 200');
  expect(stdout).toMatch(/^app_info\{version="[^"]*",environment="[^"]*",service="register-test",node_version="v\d+/m);
});

test('a configuration error in register is reported as a warning and the service still runs', async () => {
  const { stdout, stderr } = await runWithRegister('plain-app.js', { OTEL_METRICS_EXPORTER: 'zipkin' });
  expect(stderr).toContain('agent-telemetry did not start: agent-telemetry: invalid exporter (OTEL_METRICS_EXPORTER): "zipkin"');
  expect(stdout).toBe('app ran\n');
});

test('a busy Prometheus port is reported, never crashes the service', async () => {
  const blocker = spawn(process.execPath, ['-e', "require('net').createServer().listen(0,'127.0.0.1',function(){console.log(this.address().port)})"]);
  try {
    const port = await new Promise<string>((resolve) => blocker.stdout.once('data', (data: Buffer) => resolve(data.toString().trim())));
    const { stdout } = await runWithRegister('listen-result.js', {
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: port,
      AGENT_TELEMETRY_RUNTIME_METRICS: 'false',
    });
    expect(stdout).toContain('listen failed: EADDRINUSE');
    expect(stdout).toContain('app still running');
  } finally {
    blocker.kill();
  }
});
