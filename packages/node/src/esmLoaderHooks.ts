import { instrumentedModules, isInstrumentedModule } from '@agent-telemetry/core/instrumentation-support';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { register } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { logger } from './logger';

const REGISTERED = Symbol.for('agent-telemetry.esmLoaderHooks');
// Node publishes it when `import()` is called, before the module is resolved.
const IMPORT_CHANNEL = 'tracing:module.import:start';

/**
 * Makes libraries imported as ES modules from now on (`import { Redis } from 'ioredis'` after a
 * preload, or in an `import()` after `initTelemetry()`) reach the instrumentations as required
 * ones do, by registering import-in-the-middle's ES module loader hook once per process.
 *
 * Registered hooks slow down every later `require()` too (~10% of a CommonJS service's load
 * time), so a CommonJS service gets them only when it first calls `import()`; an ES module
 * service, or a preload that runs before the main module, gets them now.
 */
export function registerEsmLoaderHooks(): void {
  const holder = globalThis as { [REGISTERED]?: true };
  if (holder[REGISTERED]) return;
  holder[REGISTERED] = true;
  if (require.main === undefined) {
    registerReporting();
    return;
  }
  const onFirstImport = (): void => {
    unsubscribe(IMPORT_CHANNEL, onFirstImport);
    registerReporting();
  };
  subscribe(IMPORT_CHANNEL, onFirstImport);
}

function registerReporting(): void {
  try {
    registerImportInTheMiddle();
  } catch (err) {
    // Never thrown: from a diagnostics channel subscriber, it would be an uncaught exception.
    logger.error(
      'could not register the ES module loader hook: libraries imported as ES modules from now on are not ' +
        'instrumented; start with node --import @agent-telemetry/node/register',
      err,
    );
  }
}

interface SyncHooks {
  register(options: { shouldInclude(url: string, specifier: string): boolean }): void;
}

/**
 * Registers the hook for the packages enabled instrumentations patch only: wrapping every import,
 * as the hook does by default, costs hundreds of milliseconds of start-up in an ES module service.
 * Where Node runs loader hooks in the application's thread (`module.registerHooks`, Node >=
 * 22.22.3), the list is read at each import; older versions get the off-thread hook with the list
 * as it is now. The hook is the copy of import-in-the-middle that `@opentelemetry/instrumentation`
 * uses, whose `Hook`s the instrumentations register.
 */
function registerImportInTheMiddle(): void {
  const fromInstrumentation = { paths: [dirname(require.resolve('@opentelemetry/instrumentation'))] };
  const iitm = (file: string): unknown =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file of the copy resolved from @opentelemetry/instrumentation, not a package import
    require(require.resolve(`import-in-the-middle/${file}`, fromInstrumentation));
  // The version check first: it loads nothing else, where the hook loads a parser.
  if ((iitm('supports-sync-hooks.mjs') as { supportsSyncHooks(): boolean }).supportsSyncHooks()) {
    (iitm('register-hooks.mjs') as SyncHooks).register({
      shouldInclude: (_url, specifier) => isInstrumentedModule(specifier),
    });
  } else {
    register('@opentelemetry/instrumentation/hook.mjs', pathToFileURL(__filename), {
      data: { include: instrumentedModules() },
    });
  }
}
