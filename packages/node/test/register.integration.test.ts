import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

const FIXTURES = join(__dirname, 'fixtures');

/** Runs a fixture with `--require @agent-telemetry/node/register`; resolves with its stdout lines. */
function runWithRegister(fixture: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(
    process.execPath,
    ['--require', '@agent-telemetry/node/register', join(FIXTURES, fixture)],
    {
      env: { ...process.env, ...env },
      timeout: 20000,
    },
  );
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
  expect(stderr).toContain(
    'agent-telemetry did not start: agent-telemetry: invalid exporter (OTEL_METRICS_EXPORTER): "zipkin"',
  );
  expect(stdout).toBe('app ran\n');
});

test('a busy Prometheus port is reported, never crashes the service', async () => {
  const blocker = spawn(process.execPath, [
    '-e',
    "require('net').createServer().listen(0,'127.0.0.1',function(){console.log(this.address().port)})",
  ]);
  try {
    const port = await new Promise<string>((resolve) =>
      blocker.stdout.once('data', (data: Buffer) => resolve(data.toString().trim())),
    );
    const { stdout, stderr } = await runWithRegister('listen-result.js', {
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: port,
      AGENT_TELEMETRY_RUNTIME_METRICS: 'false',
    });
    expect(stdout).toContain('listen failed: EADDRINUSE');
    expect(stdout).toContain('app still running');
    // With no diag logger of the service's own, the report reaches stderr.
    expect(stderr).toContain(`metrics server could not listen on 127.0.0.1:${port}`);
  } finally {
    blocker.kill();
  }
});

test('warnings reach stderr through a console logger, unless the service registered its own', async () => {
  const run = (script: string, env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, ['-e', script], { env: { ...process.env, ...env }, timeout: 20000 });
  const twice = `
    const { initTelemetry, getTelemetry } = require('@agent-telemetry/node');
    ${'${OWN_LOGGER}'}
    initTelemetry({ prometheus: { server: false }, runtimeMetrics: false });
    initTelemetry({ serviceName: 'again' });
    getTelemetry().shutdown();`;
  const plain = await run(twice.replace('${OWN_LOGGER}', ''));
  expect(plain.stderr).toContain('initTelemetry() was already called; these options are ignored');

  const own = await run(
    twice.replace(
      '${OWN_LOGGER}',
      `require('@opentelemetry/api').diag.setLogger({ warn: (...args) => process.stdout.write('own logger: ' + args.join(' ') + '\\n'), error() {}, info() {}, debug() {}, verbose() {} });`,
    ),
  );
  expect(own.stdout).toContain('own logger: @agent-telemetry/node initTelemetry() was already called');
  expect(own.stderr).not.toContain('initTelemetry() was already called');

  const silenced = await run(twice.replace('${OWN_LOGGER}', ''), { OTEL_LOG_LEVEL: 'none' });
  expect(silenced.stderr).not.toContain('initTelemetry() was already called');
});
