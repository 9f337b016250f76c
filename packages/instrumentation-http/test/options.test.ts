import { TelemetryConfigError } from '@agent-telemetry/core';
import type { IncomingMessage } from 'node:http';
import { createTelemetryPlugin } from '../src';
import { resolveOptions } from '../src/options';

const request = {} as IncomingMessage;

test('only the configured paths are ignored: the metrics endpoint is known by its handler, not its path', () => {
  const { isIgnored } = resolveOptions({ ignorePaths: ['/healthz', /^\/ready/g] });
  for (const path of ['/healthz', '/ready', '/readyz']) {
    expect([path, isIgnored(path, request)]).toEqual([path, true]);
  }
  for (const path of ['/metrics', '/api/v1/metrics', '/healthz/deep', '/api/v1/agents']) {
    expect([path, isIgnored(path, request)]).toEqual([path, false]);
  }
  // A global RegExp is made stateless: the same path is ignored every time.
  expect([isIgnored('/ready', request), isIgnored('/ready', request)]).toEqual([true, true]);
  // By default, nothing is ignored by path.
  expect(['/metrics', '/healthz'].map((path) => resolveOptions({}).isIgnored(path, request))).toEqual([false, false]);
});

test('ignoreIncomingRequest adds to the paths', () => {
  const { isIgnored } = resolveOptions({
    ignoreIncomingRequest: (req) => req.headers['user-agent'] === 'kube-probe/1.29',
  });
  expect(isIgnored('/', { headers: { 'user-agent': 'kube-probe/1.29' } } as unknown as IncomingMessage)).toBe(true);
  expect(isIgnored('/', { headers: { 'user-agent': 'curl/8' } } as unknown as IncomingMessage)).toBe(false);
});

test.each([
  [{ maxEndpoints: 0 }, 'maxEndpoints: 0; accepted: an integer >= 1'],
  [{ maxEndpoints: 1.5 }, 'maxEndpoints: 1.5; accepted: an integer >= 1'],
  [{ maxEndpoints: '100' as unknown as number }, 'maxEndpoints: "100"; accepted: a number'],
  [{ maxHosts: -1 }, 'maxHosts: -1; accepted: an integer >= 1'],
  [{ disconnectStatusCode: 42 }, 'disconnectStatusCode: 42; accepted: a 3-digit integer'],
  [{ overflowEndpoint: '' }, 'overflowEndpoint: ""; accepted: a non-empty string'],
  [{ ignorePaths: [42 as unknown as string] }, 'ignorePaths: 42; accepted: strings and RegExps'],
  [
    { endpointRules: [{ pattern: '/x' as unknown as RegExp, replacement: '/y' }] },
    'endpointRules: {"pattern":"/x","replacement":"/y"}; accepted: { pattern: RegExp, replacement: string } objects',
  ],
  [{ enabled: 'no' as unknown as boolean }, 'enabled: "no"; accepted: a boolean'],
  [{ normalizeEndpoint: '/x' as never }, 'normalizeEndpoint: "/x"; accepted: a function'],
  [{ ignoreOutgoingRequest: true as never }, 'ignoreOutgoingRequest: true; accepted: a function'],
])('createTelemetryPlugin(%j) throws a TelemetryConfigError naming the field', (options, message) => {
  expect(() => createTelemetryPlugin(options)).toThrow(TelemetryConfigError);
  expect(() => createTelemetryPlugin(options)).toThrow(`agent-telemetry: invalid instrumentations.http.${message}`);
});

test('options that are not an object are a TelemetryConfigError', () => {
  expect(() => createTelemetryPlugin('on' as never)).toThrow(
    new TelemetryConfigError('instrumentations.http', 'on', 'an options object, or false'),
  );
});

test('undefined options take their defaults', () => {
  const resolved = resolveOptions({ maxEndpoints: undefined, disconnectStatusCode: undefined });
  expect([
    resolved.maxEndpoints,
    resolved.disconnectStatusCode,
    resolved.unmatchedEndpoint,
    resolved.overflowEndpoint,
  ]).toEqual([100, 499, 'unmatched', 'overflow']);
});
