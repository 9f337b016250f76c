import type { DiagLogger } from '@opentelemetry/api';
import { isBuiltin } from 'node:module';

/*
 * How the instrumentations find and patch the libraries a service loaded before (or while)
 * agent-telemetry started, and which libraries the ES module loader hook must wrap for them.
 */

/** A module as Node's module cache (`require.cache`) holds it. */
export interface CachedModule {
  exports: unknown;
  /**
   * False until the module has run. Node's ES module loader caches every CommonJS module an
   * import graph reaches, with empty exports, before it runs the first module of the graph: so
   * `initTelemetry()` in a first `import './telemetry.js'` finds the libraries of the next
   * imports cached but not run.
   */
  readonly loaded: boolean;
}

/** The parts of an `InstrumentationModuleDefinition` of `@opentelemetry/instrumentation` used here. */
export interface PatchableModule {
  readonly name: string;
  moduleExports?: unknown;
  readonly moduleVersion?: string;
  patch?(moduleExports: unknown, moduleVersion?: string): unknown;
}

/** The entry file of `name` as code in the first of `directories` (else the next) would load it. */
export function resolveFrom(name: string, ...directories: string[]): string | undefined {
  try {
    return require.resolve(name, { paths: directories });
  } catch {
    return undefined;
  }
}

/**
 * The cache entry of `name` if code resolving it from one of `directories` (tried in order: the
 * service's first, then the instrumentation's own) has loaded it, or begun to; undefined otherwise.
 */
export function cachedModule(name: string, ...directories: string[]): CachedModule | undefined {
  for (const from of directories) {
    const entry = resolveFrom(name, from);
    const cached = entry === undefined ? undefined : require.cache[entry];
    if (cached !== undefined) return cached;
  }
  return undefined;
}

/** A builtin module (`http`) as a cache entry: always loaded. */
export function builtinModule(name: string): CachedModule | undefined {
  const exports: unknown = process.getBuiltinModule(name);
  return exports === undefined ? undefined : { exports, loaded: true };
}

const INSTRUMENTED_MODULES = Symbol.for('agent-telemetry.instrumentedModules');

/** Names of the modules enabled instrumentations patch; on `globalThis`, so two copies of this package share it. */
function instrumentedModuleNames(): Set<string> {
  const holder = globalThis as { [INSTRUMENTED_MODULES]?: Set<string> };
  return (holder[INSTRUMENTED_MODULES] ??= new Set());
}

/**
 * Whether an `import` of `specifier` must go through the ES module loader hook
 * (import-in-the-middle) for an enabled instrumentation to patch it: a package that one patches,
 * or a path inside it. Builtins are patched in place and need no hook.
 */
export function isInstrumentedModule(specifier: string): boolean {
  if (isBuiltin(specifier)) return false;
  const names = instrumentedModuleNames();
  if (names.has(specifier)) return true;
  const parts = specifier.split('/');
  return names.has(specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
}

/** The packages enabled instrumentations patch (builtins left out), for a loader hook that takes a list. */
export function instrumentedModules(): string[] {
  return [...instrumentedModuleNames()].filter((name) => !isBuiltin(name));
}

/**
 * Called by an instrumentation when it is enabled: lists its modules for the ES module loader
 * hook, and patches those the service loaded before (the require hooks only see later loads, and
 * a service, or a test runner with its own module registry, may well have loaded the library
 * first). A module cached but not run yet (see {@link CachedModule.loaded}) is patched the moment
 * it has run, before any code can use it. Registering the exports on the definition lets the
 * upstream `disable()` unpatch them. A patch that throws is reported and leaves the library as it
 * was.
 *
 * @param find the cache entry of a module name, if the module is loaded or loading
 * @returns the names of the modules that had run already: what they did before now (an Express
 * app's routes) was not seen by the patch
 */
export function patchLoadedModules(
  instrumentation: { isEnabled(): boolean },
  definitions: readonly PatchableModule[],
  find: (name: string) => CachedModule | undefined,
  logger: DiagLogger,
): string[] {
  const ranBefore: string[] = [];
  for (const definition of definitions) {
    instrumentedModuleNames().add(definition.name);
    if (definition.moduleExports !== undefined || definition.patch === undefined) continue;
    const cached = find(definition.name);
    if (cached === undefined) continue;
    if (cached.loaded) {
      ranBefore.push(definition.name);
      logger.debug(`patching ${definition.name}, loaded before the instrumentation was enabled`);
      patchDefinition(definition, cached.exports, logger);
    } else {
      logger.debug(`patching ${definition.name} once it has run (cached by the ES module loader)`);
      patchWhenRun(cached, (exports) =>
        // A require hook may have patched it meanwhile (a CommonJS module of the graph required it).
        instrumentation.isEnabled() && definition.moduleExports === undefined
          ? patchDefinition(definition, exports, logger)
          : exports,
      );
    }
  }
  return ranBefore;
}

function patchDefinition(definition: PatchableModule, exports: unknown, logger: DiagLogger): unknown {
  try {
    definition.moduleExports = exports;
    return definition.patch!(exports, definition.moduleVersion) ?? exports;
  } catch (err) {
    definition.moduleExports = undefined;
    logger.error(`could not patch ${definition.name}; it is not instrumented`, err);
    return exports;
  }
}

/**
 * Calls `patch` with the exports of `module` once it has run, and makes its result the module's
 * exports. Node's loaders read `module.exports` right after a module has run (the CommonJS loader
 * to return it, the ES module loader to fill the module's namespace), so an accessor on the cache
 * entry sees that read before any other code gets the exports.
 */
function patchWhenRun(module: CachedModule, patch: (exports: unknown) => unknown): void {
  let exports = module.exports;
  Object.defineProperty(module, 'exports', {
    configurable: true,
    enumerable: true,
    get() {
      if (!module.loaded) return exports;
      Object.defineProperty(module, 'exports', {
        value: exports,
        writable: true,
        configurable: true,
        enumerable: true,
      });
      module.exports = patch(exports);
      return module.exports;
    },
    set(value: unknown) {
      exports = value;
    },
  });
}
