// Issue 9, point 6: neither initTelemetry() nor `--require @agent-telemetry/node/register`
// flushed OTLP on SIGTERM/SIGINT, so up to one export interval of data was lost at every deploy.
// `register` flushes on those signals and then lets the process end exactly as it would have
// without agent-telemetry (same exit status; a service's own handlers still run);
// initTelemetry() offers the same as `flushOnSignals`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { OtlpReceiver, pointsOf } from '../../../core/test/helpers/otlpReceiver';

jest.setTimeout(30_000);

const FIXTURE = join(__dirname, 'fixtures', 'stopped-by-signal.js');
let receiver: OtlpReceiver;

beforeEach(async () => {
  receiver = await OtlpReceiver.start();
});

afterEach(() => receiver.close());

interface Ending {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the fixture, waits for "ready", sends `signal`, resolves with how the process ended. */
function stopWith(signal: NodeJS.Signals, mode: string, env: Record<string, string> = {}): Promise<Ending> {
  const args = mode === 'register' || mode === 'own-handler' ? ['--require', '@agent-telemetry/node/register'] : [];
  const child = spawn(process.execPath, [...args, FIXTURE, mode], {
    env: {
      ...process.env,
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.url}/v1/metrics`,
      // Far longer than the test: only a flush can push before the process ends.
      OTEL_METRIC_EXPORT_INTERVAL: '3600000',
      AGENT_TELEMETRY_RUNTIME_METRICS: 'false',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout += `${line}\n`;
    if (line === 'ready') child.kill(signal);
  });
  return new Promise((resolve) =>
    child.on('exit', (code, exitSignal) => resolve({ code, signal: exitSignal, stdout, stderr })),
  );
}

function pushedSignups(): number[] {
  return receiver.requests.flatMap((request) =>
    pointsOf(request, 'customer_signups_total').map((point) => point.asDouble ?? 0),
  );
}

test.each(['SIGTERM', 'SIGINT'] as const)(
  'under register, %s pushes what was recorded, then the process ends by that signal, as it does without us',
  async (signal) => {
    const bare = await stopWith(signal, 'bare');
    expect(bare).toEqual({ code: null, signal, stdout: 'ready\n', stderr: '' });

    const registered = await stopWith(signal, 'register');
    expect(registered).toEqual({ code: null, signal, stdout: 'ready\n', stderr: '' });
    expect(pushedSignups()).toEqual([1]);
  },
);

test("the service's own SIGTERM handler still runs and decides; the values are pushed before the process ends", async () => {
  const ending = await stopWith('SIGTERM', 'own-handler');
  expect(ending).toEqual({ code: 0, signal: null, stdout: 'ready\nown handler ran\n', stderr: '' });
  expect(pushedSignups().at(-1)).toBe(1);
});

test('initTelemetry({ flushOnSignals: true }) does the same', async () => {
  const ending = await stopWith('SIGTERM', 'init-option');
  expect(ending).toEqual({ code: null, signal: 'SIGTERM', stdout: 'ready\n', stderr: '' });
  expect(pushedSignups()).toEqual([1]);
});

test('AGENT_TELEMETRY_FLUSH_ON_SIGNALS=false leaves signals alone under register', async () => {
  const ending = await stopWith('SIGTERM', 'register', { AGENT_TELEMETRY_FLUSH_ON_SIGNALS: 'false' });
  expect(ending).toEqual({ code: null, signal: 'SIGTERM', stdout: 'ready\n', stderr: '' });
  expect(pushedSignups()).toEqual([]);
});
