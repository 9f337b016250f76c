import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const INSTRUMENTATIONS = ['http', 'pg', 'ioredis'] as const;

/** What a fixture process printed: its stdout lines and its whole stderr. */
export interface FixtureOutput {
  readonly lines: string[];
  readonly stderr: string;
}

/**
 * Runs `node <args>` in `fixtures` with only the `only` instrumentation of @agent-telemetry/node
 * enabled (the test must not depend on the others), the Prometheus server on an ephemeral
 * loopback port and no runtime metrics. Real processes: the require and import hooks only exist
 * outside jest's module registry.
 */
export function fixtureRunner(
  fixtures: string,
  only: (typeof INSTRUMENTATIONS)[number],
): (...args: string[]) => Promise<FixtureOutput> {
  const env = {
    ...process.env,
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: INSTRUMENTATIONS.filter((name) => name !== only).join(','),
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: '0',
    AGENT_TELEMETRY_RUNTIME_METRICS: 'false',
  };
  return async (...args) => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
      cwd: fixtures,
      env,
      timeout: 20_000,
    });
    return { lines: stdout.trim().split('\n'), stderr };
  };
}
