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
  [{ maxEndpoints: 0 }, 'invalid maxEndpoints: 0 (accepted: an integer >= 1)'],
  [{ maxEndpoints: 1.5 }, 'invalid maxEndpoints: 1.5 (accepted: an integer >= 1)'],
  [{ maxHosts: -1 }, 'invalid maxHosts: -1 (accepted: an integer >= 1)'],
  [{ disconnectStatusCode: 42 }, 'invalid disconnectStatusCode: 42 (accepted: a 3-digit integer)'],
  [{ overflowEndpoint: '' }, 'invalid overflowEndpoint:  (accepted: a non-empty string)'],
  [{ ignorePaths: [42 as unknown as string] }, 'invalid ignorePaths: 42 (accepted: strings and RegExps)'],
  [
    { endpointRules: [{ pattern: '/x' as unknown as RegExp, replacement: '/y' }] },
    'invalid endpointRules: [object Object] (accepted: { pattern: RegExp, replacement: string } objects)',
  ],
])('createTelemetryPlugin(%j) throws one error naming the field', (options, message) => {
  expect(() => createTelemetryPlugin(options)).toThrow(new Error(`@agent-telemetry/instrumentation-http: ${message}`));
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
