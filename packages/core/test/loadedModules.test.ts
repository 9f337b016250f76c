import { diag } from '@opentelemetry/api';
import {
  instrumentedModules,
  isInstrumentedModule,
  patchLoadedModules,
  type CachedModule,
  type PatchableModule,
} from '../src/loadedModules';
import { captureDiag } from '../../../test-support/diag';

const enabled = { isEnabled: () => true };

test('a module that has run is patched now, registered for unpatching, and reported as loaded before', () => {
  const exports = { name: 'express' };
  const patched: unknown[] = [];
  const express: PatchableModule = { name: 'express', patch: (moduleExports) => patched.push(moduleExports) };
  const absent: PatchableModule = { name: 'koa', patch: () => patched.push('koa') };
  const found: Record<string, CachedModule> = { express: { exports, loaded: true } };

  expect(patchLoadedModules(enabled, [express, absent], (name) => found[name], diag)).toEqual(['express']);
  expect(patched).toEqual([exports]);
  expect(express.moduleExports).toBe(exports);
  expect(absent.moduleExports).toBeUndefined();
});

test('a module a require hook patched already is left alone', () => {
  const patch = jest.fn();
  const definition: PatchableModule = { name: 'pg', moduleExports: {}, patch };
  patchLoadedModules(enabled, [definition], () => ({ exports: {}, loaded: true }), diag);
  expect(patch).not.toHaveBeenCalled();
});

test('a patch that throws is reported once and leaves the service running, the module unregistered', () => {
  const { errors, stop } = captureDiag();
  try {
    const definition: PatchableModule = {
      name: 'ioredis',
      patch: (exports) => (exports as { prototype: { sendCommand: unknown } }).prototype.sendCommand,
    };
    expect(() => patchLoadedModules(enabled, [definition], () => ({ exports: {}, loaded: true }), diag)).not.toThrow();
    expect(definition.moduleExports).toBeUndefined();
    expect(errors).toEqual([expect.stringMatching(/^could not patch ioredis; it is not instrumented TypeError/)]);
  } finally {
    stop();
  }
});

test.each([
  ['ioredis', true],
  ['ioredis/built/Redis', true],
  ['@scope/llm-sdk', true],
  ['@scope/llm-sdk/resources', true],
  ['@scope/other', false],
  ['ioredis-mock', false],
  ['./ioredis', false],
  ['http', false],
  ['node:http', false],
])('the ES module loader hook wraps %s: %s', (specifier, wrapped) => {
  patchLoadedModules(
    enabled,
    [{ name: 'ioredis' }, { name: '@scope/llm-sdk' }, { name: 'http' }],
    () => undefined,
    diag,
  );
  expect(isInstrumentedModule(specifier)).toBe(wrapped);
});

test('the list for the off-thread hook leaves builtins out', () => {
  patchLoadedModules(enabled, [{ name: 'https' }, { name: 'pg-pool' }], () => undefined, diag);
  expect(instrumentedModules()).toContain('pg-pool');
  expect(instrumentedModules()).not.toContain('https');
});
