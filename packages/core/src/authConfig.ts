import { readFileSync } from 'node:fs';
import { TelemetryConfigError } from './TelemetryConfigError';
import type { MetricsEndpointAuth } from './types';

type Env = Readonly<Record<string, string | undefined>>;

const TOKEN = 'AGENT_TELEMETRY_METRICS_BEARER_TOKEN';
const TOKEN_FILE = 'AGENT_TELEMETRY_METRICS_BEARER_TOKEN_FILE';
const BASIC = 'AGENT_TELEMETRY_METRICS_BASIC_AUTH';

const OPTION_ACCEPTED =
  '{ bearerToken: printable ASCII without spaces } or { username: non-empty string without ":", password: string }, or undefined for none';
const TOKEN_ACCEPTED = 'printable ASCII without spaces (surrounding whitespace and a trailing newline are removed)';

/**
 * The credentials the metrics endpoint requires: `prometheus.auth`, else the environment. Every
 * value that could never match a request is rejected here, at start-up: a token Prometheus cannot
 * send (non-ASCII, inner whitespace, control characters) would otherwise answer every scrape 401
 * without a word. Whitespace around a token (a secret mounted as a file ends in a newline) is
 * removed. A variable set but empty turns auth off with a warning, never silently.
 *
 * @param warn told of configuration that works but is likely a mistake
 * @throws TelemetryConfigError naming the option or variable
 */
export function resolveAuth(
  option: MetricsEndpointAuth | undefined,
  env: Env,
  warn: (message: string) => void,
): MetricsEndpointAuth | undefined {
  if (option !== undefined) return checkOption(option);
  const token = tokenFromEnv(env);
  if (token !== undefined) return { bearerToken: bearerToken(token.field, token.value) };
  const basic = env[BASIC];
  if (basic === undefined) return undefined;
  if (basic.trim() === '') {
    warn(`${BASIC} is set but empty: the metrics endpoint requires no credentials`);
    return undefined;
  }
  // A trailing line break is how values read from files end; a password may hold other whitespace.
  const credentials = basic.replace(/\r?\n$/, '');
  const colon = credentials.indexOf(':');
  if (colon <= 0 || hasControlCharacters(credentials))
    throw new TelemetryConfigError(BASIC, '<hidden>', 'user:password');
  return { username: credentials.slice(0, colon), password: credentials.slice(colon + 1) };

  function tokenFromEnv(from: Env): { field: string; value: string } | undefined {
    const direct = from[TOKEN];
    const file = from[TOKEN_FILE];
    if (direct !== undefined && file !== undefined) {
      throw new TelemetryConfigError(`${TOKEN} and ${TOKEN_FILE}`, '<hidden>', 'one of them, not both');
    }
    if (file !== undefined) return { field: TOKEN_FILE, value: readSecretFile(file) };
    if (direct === undefined) return undefined;
    if (direct === '') {
      warn(`${TOKEN} is set but empty: the metrics endpoint requires no bearer token`);
      return undefined;
    }
    return { field: TOKEN, value: direct };
  }
}

function readSecretFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new TelemetryConfigError(
      TOKEN_FILE,
      path,
      `a readable file holding the token (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
}

/** A bearer token as it must arrive: trimmed, then visible ASCII only (RFC 6750's token68 and more). */
function bearerToken(field: string, raw: string): string {
  const token = raw.trim();
  if (!/^[\x21-\x7e]+$/.test(token)) throw new TelemetryConfigError(field, '<hidden>', TOKEN_ACCEPTED);
  return token;
}

function checkOption(auth: MetricsEndpointAuth): MetricsEndpointAuth {
  const field = 'prometheus.auth';
  if (auth === null || typeof auth !== 'object') throw new TelemetryConfigError(field, '<hidden>', OPTION_ACCEPTED);
  if ('bearerToken' in auth) {
    if (typeof auth.bearerToken !== 'string') throw new TelemetryConfigError(field, '<hidden>', OPTION_ACCEPTED);
    return { bearerToken: bearerToken(field, auth.bearerToken) };
  }
  const valid =
    typeof auth.username === 'string' &&
    auth.username !== '' &&
    !auth.username.includes(':') &&
    typeof auth.password === 'string' &&
    !hasControlCharacters(auth.username + auth.password);
  if (!valid) throw new TelemetryConfigError(field, '<hidden>', OPTION_ACCEPTED);
  return auth;
}

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
