import {
  createTelemetry,
  defaultRegistry,
  resolveConfig,
  type MetricTable,
  type NoMetrics,
  type Telemetry,
  type TelemetryPlugin,
} from '@agent-telemetry/core';
import { installDiagLogger } from './diagLogger';
import { registerEsmLoaderHooks } from './esmLoaderHooks';
import { registerGlobalMeterProvider } from './globalMeterProvider';
import { logger } from './logger';
import type { InstrumentationName, TelemetryOptions } from './types';

/** The package of each instrumentation; each exports `createTelemetryPlugin(options)`. */
const INSTRUMENTATION_PACKAGES: Readonly<Record<InstrumentationName, string>> = {
  http: '@agent-telemetry/instrumentation-http',
  pg: '@agent-telemetry/instrumentation-pg',
  ioredis: '@agent-telemetry/instrumentation-ioredis',
  llm: '@agent-telemetry/instrumentation-llm',
};

const CURRENT = Symbol.for('agent-telemetry.current');
type Holder = { [CURRENT]?: Telemetry<MetricTable> };

/**
 * Starts agent-telemetry: the metric registry, the Prometheus endpoint and OTLP export as
 * configured, runtime metrics, and every installed instrumentation. Its MeterProvider becomes
 * the global one of `@opentelemetry/api`, unless the service registered one first.
 *
 * The service's own metrics (`metrics`, a `defineMetrics()` table) join the catalogue's in
 * `telemetry.metrics`, typed by their label names.
 *
 * Idempotent: a second call returns the handle of the first and ignores its options (with a
 * warning when options were given), but for `metrics`, which it adds; so the process never holds
 * two MeterProviders. After `shutdown()`, a new call starts afresh.
 *
 * Unless the service registered an OTel diag logger of its own, warnings and errors go to the
 * console at `OTEL_LOG_LEVEL` (default `warn`).
 *
 * Libraries are patched however the service loads them: required after this call, imported as
 * ES modules after it (it registers the ES module loader hook), or already loaded, or cached by
 * the ES module loader and about to run (this call in a first `import './telemetry.js'`).
 *
 * @throws TelemetryConfigError for an invalid option or environment variable, before anything is
 * patched
 */
export function initTelemetry<const T extends MetricTable = NoMetrics>(
  options: TelemetryOptions<T> = {},
): Telemetry<T> {
  const holder = globalThis as Holder;
  const running = holder[CURRENT];
  if (running !== undefined) {
    const { metrics, ...others } = options;
    if (metrics !== undefined) defaultRegistry().define(metrics);
    if (Object.keys(others).length > 0) logger.warn('initTelemetry() was already called; these options are ignored');
    return running as Telemetry<T>;
  }
  installDiagLogger(process.env['OTEL_LOG_LEVEL']);
  // Validate first: a configuration error must leave nothing patched behind. The service's
  // metrics are defined all at once or not at all; plugins validate their own options when
  // created, and patch nothing before enable().
  resolveConfig(options);
  defaultRegistry().define(options.metrics ?? {});
  const plugins = loadPlugins(options, process.env['OTEL_NODE_DISABLED_INSTRUMENTATIONS']);
  const telemetry = createTelemetry(options, {
    registry: defaultRegistry(),
    dropMeters: plugins.flatMap((plugin) => plugin.upstreamMeters),
    otlpOnlyMeters: plugins.flatMap((plugin) => plugin.otlpOnlyMeters ?? []),
  });
  for (const plugin of plugins) {
    try {
      plugin.enable(telemetry);
    } catch (err) {
      logger.error(`instrumentation ${plugin.name} failed to start`, err);
    }
  }
  // After the plugins: the hook wraps the modules they patch.
  if (options.esmLoaderHooks !== false) registerEsmLoaderHooks();
  const unregisterMeterProvider =
    options.globalMeterProvider === false ? () => {} : registerGlobalMeterProvider(telemetry.meterProvider);
  const handle: Telemetry<T> = {
    ...telemetry,
    shutdown: async () => {
      for (const plugin of plugins) {
        try {
          plugin.disable();
        } catch (err) {
          // The OTLP flush below must happen whatever one plugin does.
          logger.error(`instrumentation ${plugin.name} failed to stop`, err);
        }
      }
      if (holder[CURRENT] === handle) delete holder[CURRENT];
      unregisterMeterProvider();
      await telemetry.shutdown();
    },
  };
  holder[CURRENT] = handle;
  return handle;
}

/**
 * The running telemetry, if `initTelemetry()` was called. Pass the type of the service's table
 * (`getTelemetry<typeof serviceMetrics>()`) to have its metrics typed; it is not checked.
 */
export function getTelemetry<T extends MetricTable = NoMetrics>(): Telemetry<T> | undefined {
  return (globalThis as Holder)[CURRENT] as Telemetry<T> | undefined;
}

function loadPlugins(options: TelemetryOptions<MetricTable>, disabledFromEnv: string | undefined): TelemetryPlugin[] {
  const disabled = new Set((disabledFromEnv ?? '').split(',').map((name) => name.trim()));
  const plugins: TelemetryPlugin[] = [];
  for (const [name, packageName] of Object.entries(INSTRUMENTATION_PACKAGES) as Array<[InstrumentationName, string]>) {
    const pluginOptions = options.instrumentations?.[name];
    if (pluginOptions === false || (pluginOptions === undefined && disabled.has(name))) continue;
    const module = requireIfInstalled(packageName) as
      { createTelemetryPlugin(options?: object): TelemetryPlugin } | undefined;
    // Invalid options throw here, before any plugin has patched anything.
    if (module !== undefined) plugins.push(module.createTelemetryPlugin(pluginOptions));
  }
  return plugins;
}

function requireIfInstalled(packageName: string): unknown {
  try {
    return require(packageName);
  } catch (err) {
    if (
      (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      String((err as Error).message).includes(packageName)
    ) {
      logger.debug(`${packageName} is not installed; skipped`);
      return undefined;
    }
    throw err;
  }
}
