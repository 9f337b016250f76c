// Bug: initTelemetry() in a first `import './telemetry.js'` crashed the HTTP and ioredis
// instrumentations ("Cannot read properties of undefined (reading 'route')"). Node's ES module
// loader puts every CommonJS module of the import graph into require.cache, with empty exports,
// before it runs any module of the graph; the patcher took the empty exports for the library.
// Here a real Node Module is cached as the ES module loader caches it, then loaded by Node.
import { diag } from '@opentelemetry/api';
import Module from 'node:module';
import { join } from 'node:path';
import { patchLoadedModules, type PatchableModule } from '../../src/loadedModules';

const LIBRARY = join(__dirname, '..', 'fixtures', 'library.cjs');

interface Library {
  Client: { prototype: { query(): string } };
}

function definition(): PatchableModule & { patched: number } {
  return {
    name: 'library',
    patched: 0,
    patch(exports) {
      this.patched++;
      const proto = (exports as Library).Client.prototype;
      const original = proto.query;
      proto.query = function () {
        return `patched ${original.call(this)}`;
      };
      return exports;
    },
  };
}

/** A Node module with the loader method that @types/node leaves out. */
type LoadableModule = Module & { load(filename: string): void };

function cachedByEsmLoader(): LoadableModule {
  const module = new Module(LIBRARY) as LoadableModule;
  module.filename = LIBRARY;
  return module;
}

test('a library cached but not run yet is patched once it has run, before anyone reads its exports', () => {
  const library = cachedByEsmLoader();
  const lib = definition();
  const ranBefore = patchLoadedModules({ isEnabled: () => true }, [lib], () => library, diag);
  expect(ranBefore).toEqual([]);
  expect(lib.patched).toBe(0);

  // What Node's ES module loader does when the graph runs: load the module, then read its exports.
  library.load(LIBRARY);
  const { Client } = library.exports as { Client: new () => { query(): string } };
  expect(new Client().query()).toBe('patched original');
  expect(lib.patched).toBe(1);
  expect(lib.moduleExports).toBe(library.exports);
  // Later reads see the same exports, patched once.
  expect((library.exports as Library).Client).toBe(Client);
  expect(lib.patched).toBe(1);
});

test('an instrumentation disabled before the library ran leaves it unpatched', () => {
  const library = cachedByEsmLoader();
  const lib = definition();
  let enabled = true;
  patchLoadedModules({ isEnabled: () => enabled }, [lib], () => library, diag);
  enabled = false;
  library.load(LIBRARY);
  const { Client } = library.exports as { Client: new () => { query(): string } };
  expect(new Client().query()).toBe('original');
  expect(lib.moduleExports).toBeUndefined();
});
