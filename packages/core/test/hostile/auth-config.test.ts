// Issue 9, point 9: a bearer token with a trailing newline (as Kubernetes mounts secrets), one of
// whitespace only or one with non-ASCII text was accepted and could never match (every scrape
// 401, no warning); an explicitly empty AGENT_TELEMETRY_METRICS_BEARER_TOKEN silently turned auth
// off; `auth: null` threw a TypeError. Rejected or normalised at start-up with a
// TelemetryConfigError, a warning for an empty value, and the token can come from a file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTelemetry, TelemetryConfigError, type CoreOptions, type Telemetry } from '../../src';
import { resolveConfig } from '../../src/config';
import { captureDiag } from '../../../../test-support/diag';
import { request } from '../../../../test-support/http';

const dir = mkdtempSync(join(tmpdir(), `agent-telemetry-auth-${process.pid}-`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(content: string): string {
  const file = join(dir, `token-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, content);
  return file;
}

describe('accepted, normalised', () => {
  test.each([
    ['a token with a trailing newline', { AGENT_TELEMETRY_METRICS_BEARER_TOKEN: 's3cr3t\n' }],
    ['a token with surrounding spaces', { AGENT_TELEMETRY_METRICS_BEARER_TOKEN: '  s3cr3t ' }],
    ['a token file ending in a newline', { AGENT_TELEMETRY_METRICS_BEARER_TOKEN_FILE: secretFile('s3cr3t\n') }],
  ])('%s', (_, env) => {
    expect(resolveConfig({}, env).prometheus.auth).toEqual({ bearerToken: 's3cr3t' });
  });

  test('the option too', () => {
    expect(resolveConfig({ prometheus: { auth: { bearerToken: 's3cr3t\r\n' } } }, {}).prometheus.auth).toEqual({
      bearerToken: 's3cr3t',
    });
  });

  test('basic auth from the environment loses a trailing newline only', () => {
    expect(resolveConfig({}, { AGENT_TELEMETRY_METRICS_BASIC_AUTH: 'prom:pa ss \n' }).prometheus.auth).toEqual({
      username: 'prom',
      password: 'pa ss ',
    });
  });
});

describe('rejected at start-up', () => {
  const TOKEN_ACCEPTED = 'printable ASCII without spaces (surrounding whitespace and a trailing newline are removed)';
  const OPTION_ACCEPTED =
    '{ bearerToken: printable ASCII without spaces } or { username: non-empty string without ":", password: string }, or undefined for none';
  test.each<[string, CoreOptions, Record<string, string>, string, string]>([
    [
      'a whitespace-only token',
      {},
      { AGENT_TELEMETRY_METRICS_BEARER_TOKEN: ' \n' },
      'AGENT_TELEMETRY_METRICS_BEARER_TOKEN',
      TOKEN_ACCEPTED,
    ],
    [
      'a non-ASCII token',
      {},
      { AGENT_TELEMETRY_METRICS_BEARER_TOKEN: 'pässwörd' },
      'AGENT_TELEMETRY_METRICS_BEARER_TOKEN',
      TOKEN_ACCEPTED,
    ],
    [
      'a token with inner spaces',
      {},
      { AGENT_TELEMETRY_METRICS_BEARER_TOKEN: 'two words' },
      'AGENT_TELEMETRY_METRICS_BEARER_TOKEN',
      TOKEN_ACCEPTED,
    ],
    [
      'an empty token file',
      {},
      { AGENT_TELEMETRY_METRICS_BEARER_TOKEN_FILE: secretFile('\n') },
      'AGENT_TELEMETRY_METRICS_BEARER_TOKEN_FILE',
      TOKEN_ACCEPTED,
    ],
    [
      'a token and a token file',
      {},
      { AGENT_TELEMETRY_METRICS_BEARER_TOKEN: 'a', AGENT_TELEMETRY_METRICS_BEARER_TOKEN_FILE: secretFile('b') },
      'AGENT_TELEMETRY_METRICS_BEARER_TOKEN and AGENT_TELEMETRY_METRICS_BEARER_TOKEN_FILE',
      'one of them, not both',
    ],
    ['auth: null', { prometheus: { auth: null as never } }, {}, 'prometheus.auth', OPTION_ACCEPTED],
    ['auth: a string', { prometheus: { auth: 'token' as never } }, {}, 'prometheus.auth', OPTION_ACCEPTED],
    [
      'a bearer token of the wrong type',
      { prometheus: { auth: { bearerToken: 42 as never } } },
      {},
      'prometheus.auth',
      OPTION_ACCEPTED,
    ],
    [
      'an option token that is whitespace',
      { prometheus: { auth: { bearerToken: '\t' } } },
      {},
      'prometheus.auth',
      TOKEN_ACCEPTED,
    ],
    [
      'a password with a control character',
      { prometheus: { auth: { username: 'u', password: 'p\u0000' } } },
      {},
      'prometheus.auth',
      OPTION_ACCEPTED,
    ],
  ])('%s', (_, options, env, field, accepted) => {
    let thrown: unknown;
    try {
      resolveConfig(options, env);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TelemetryConfigError);
    expect(thrown).toMatchObject({ field, accepted, value: '<hidden>' });
  });

  test('a token file that cannot be read names the file and the cause', () => {
    const missing = join(dir, 'missing');
    expect(() => resolveConfig({}, { AGENT_TELEMETRY_METRICS_BEARER_TOKEN_FILE: missing })).toThrow(
      new TelemetryConfigError(
        'AGENT_TELEMETRY_METRICS_BEARER_TOKEN_FILE',
        missing,
        'a readable file holding the token (ENOENT)',
      ),
    );
  });
});

describe('an explicitly empty variable', () => {
  test.each(['AGENT_TELEMETRY_METRICS_BEARER_TOKEN', 'AGENT_TELEMETRY_METRICS_BASIC_AUTH'])(
    '%s= turns auth off with one warning at start-up',
    async (variable) => {
      const logs = captureDiag();
      const telemetry = createTelemetry(
        { prometheus: { server: false }, runtimeMetrics: false },
        { env: { [variable]: '' } },
      );
      try {
        expect(telemetry.config.prometheus.auth).toBeUndefined();
        expect(logs.warnings).toEqual([
          expect.stringContaining(`${variable} is set but empty: the metrics endpoint requires no`),
        ]);
      } finally {
        logs.stop();
        await telemetry.shutdown();
      }
    },
  );
});

test('a token mounted as a file with a trailing newline authorises the scrape Prometheus sends', async () => {
  const telemetry: Telemetry = createTelemetry(
    { runtimeMetrics: false, prometheus: { host: '127.0.0.1', port: 0 } },
    { env: { AGENT_TELEMETRY_METRICS_BEARER_TOKEN_FILE: secretFile('k8s-secret-token\n') } },
  );
  try {
    const { port } = await telemetry.metricsServer!.listening;
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await request(url, { headers: { authorization: 'Bearer k8s-secret-token' } })).status).toBe(200);
    expect((await request(url, { headers: { authorization: 'Bearer k8s-secret-token\n'.trim() + 'x' } })).status).toBe(
      401,
    );
  } finally {
    await telemetry.shutdown();
  }
});
