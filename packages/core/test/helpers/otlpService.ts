import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CoreOptions } from '../../src';

type Reply = { text?: string; errors?: string[] };

/**
 * Drives `fixtures/otlp-service.js`: a real Node process running agent-telemetry with the given
 * options. Each command resolves with the service's reply.
 */
export class OtlpService {
  private readonly _replies: Array<(reply: Reply) => void> = [];
  private _stderr = '';
  readonly exited: Promise<number | null>;

  private constructor(private readonly _child: ChildProcessWithoutNullStreams) {
    createInterface({ input: _child.stdout }).on('line', (line) => this._replies.shift()?.(JSON.parse(line) as Reply));
    _child.stderr.on('data', (chunk: Buffer) => (this._stderr += chunk.toString()));
    this.exited = new Promise((resolve) => _child.on('exit', (code) => resolve(code)));
  }

  static start(options: CoreOptions, env: Record<string, string> = {}): OtlpService {
    const fixture = join(__dirname, '..', 'fixtures', 'otlp-service.js');
    return new OtlpService(spawn(process.execPath, [fixture, JSON.stringify({ options, env })]));
  }

  /** What the service wrote to stderr (a crash or an unhandled rejection would show here). */
  get stderr(): string {
    return this._stderr;
  }

  send(
    command: Record<string, unknown> & { cmd: 'inc' | 'observe' | 'set' | 'scrape' | 'logs' | 'shutdown' },
  ): Promise<Reply> {
    return new Promise((resolve) => {
      this._replies.push(resolve);
      this._child.stdin.write(`${JSON.stringify(command)}\n`);
    });
  }

  /** Current agent_telemetry_export_failures_total{exporter="otlp"} of the service. */
  async exportFailures(): Promise<number> {
    const { text } = await this.send({ cmd: 'scrape' });
    const match = /^agent_telemetry_export_failures_total\{exporter="otlp"\} (\S+)$/m.exec(text ?? '');
    return match ? Number(match[1]) : 0;
  }

  async waitForExportFailures(count: number): Promise<number> {
    for (;;) {
      const failures = await this.exportFailures();
      if (failures >= count) return failures;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stops the process if a test ended before shutting it down. */
  kill(): void {
    if (this._child.exitCode === null) this._child.kill();
  }
}
