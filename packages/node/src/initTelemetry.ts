import {
  createTelemetry,
  defaultRegistry,
  TelemetryConfigError,
  type MetricTable,
  type NoMetrics,
  type Telemetry,
} from '@agent-telemetry/core';
import type { TelemetryPlugin } from '@agent-telemetry/core/instrumentation-support';
import { createTelemetryPlugin as createHttpPlugin } from '@agent-telemetry/instrumentation-http';
import { createTelemetryPlugin as createIORedisPlugin } from '@agent-telemetry/instrumentation-ioredis';
import { createTelemetryPlugin as createLlmPlugin } from '@agent-telemetry/instrumentation-llm';
import { createTelemetryPlugin as createPgPlugin } from '@agent-telemetry/instrumentation-pg';
import { installDiagLogger } from './diagLogger';
import { registerEsmLoaderHooks } from './esmLoaderHooks';
import { registerGlobalMeterProvider } from './globalMeterProvider';
import { logger } from './logger';
import { flushOnSignals } from './signalFlush';
import type { InstrumentationName, TelemetryOptions } from './types';

/**
 * The plugin of each instrumentation. Their packages are dependencies of this one, so always
 * installed; a plugin patches nothing until it is enabled, and its library (pg, ioredis, an LLM
 * SDK) need not be installed at all.
 */
const PLUGINS: Readonly<Record<InstrumentationName, (options?: object) => TelemetryPlugin>> = {
  http: createHttpPlugin,
  pg: createPgPlugin,
  ioredis: createIORedisPlugin,
  llm: createLlmPlugin,
};

const CURRENT = Symbol.for('agent-telemetry.current');
type Holder = { [CURRENT]?: Telemetry<MetricTable> };

/**
 * Starts agent-telemetry: the metric registry, the Prometheus endpoint and OTLP export as
 * configured, runtime metrics, and the HTTP, pg, ioredis and LLM instrumentations. Its MeterProvider becomes
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
  // A configuration error must leave nothing started or patched behind: plugins check their
  // options when created and patch nothing before enable(); createTelemetry() resolves the core
  // options, then defines the service's metrics (all at once or not at all), before it starts
  // anything.
  const onSignals = options.flushOnSignals ?? flushOnSignalsFromEnv(process.env['AGENT_TELEMETRY_FLUSH_ON_SIGNALS']);
  const plugins = loadPlugins(options, process.env['OTEL_NODE_DISABLED_INSTRUMENTATIONS']);
  const telemetry = createTelemetry(options, {
    registry: defaultRegistry(),
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
  let removeSignalListeners = () => {};
  const handle: Telemetry<T> = {
    ...telemetry,
    shutdown: async () => {
      removeSignalListeners();
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
  if (onSignals) removeSignalListeners = flushOnSignals(handle);
  return handle;
}

function flushOnSignalsFromEnv(raw: string | undefined): boolean {
  const value = raw?.trim().toLowerCase();
  if (value === undefined || value === '') return false;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new TelemetryConfigError('flushOnSignals (AGENT_TELEMETRY_FLUSH_ON_SIGNALS)', raw, 'true or false');
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
  for (const name of Object.keys(PLUGINS) as InstrumentationName[]) {
    const pluginOptions = options.instrumentations?.[name];
    if (pluginOptions === false || (pluginOptions === undefined && disabled.has(name))) continue;
    // Invalid options throw here, before any plugin has patched anything.
    plugins.push(PLUGINS[name](pluginOptions));
  }
  return plugins;
}
