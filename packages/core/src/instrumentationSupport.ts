import { context, createNoopMeter, ProxyTracerProvider, trace, type MeterProvider } from '@opentelemetry/api';
import type { CatalogueMetrics } from './MetricRegistry';
export { boundLabelValue } from './labelValue';
import type { TelemetryPlugin } from './plugin';

export {
  builtinModule,
  cachedModule,
  instrumentedModules,
  isInstrumentedModule,
  patchLoadedModules,
  resolveFrom,
} from './loadedModules';
export type { CachedModule, PatchableModule } from './loadedModules';

/*
 * What agent-telemetry's other packages (node, business-metrics, http, pg, ioredis) share, in the
 * one package they all depend on: the plugin wiring, the one wrap-and-time helper of the trackers,
 * the logger convention and option checks. Exported for them only, as the
 * `@agent-telemetry/core/instrumentation-support` subpath: not part of the public API, which is
 * the package's main entry.
 */

export { createTracker } from './createTracker';
export type { CallHooks, Outcome } from './createTracker';
export { createLogger } from './logger';
export type { Logger } from './logger';
export { checkOptionTypes } from './optionChecks';
export type { OptionType } from './optionChecks';
export { isMetricsRequest } from './MetricsEndpoint';
// The metric reference of `npm run docs` and `npx agent-telemetry-docs`.
export { isMetricTable } from './metricTable';
export { renderMetricTable, replaceSection, serviceReferenceRows } from './metricReference';
export type { ReferenceRow } from './metricReference';
export type { TelemetryPlugin } from './plugin';

// The API's no-op tracer provider: what a ProxyTracerProvider delegates to until a real one is set.
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();

/** Whether the service registered a tracer provider, so that spans are recorded somewhere. */
export function isTracingEnabled(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP_TRACER_PROVIDER;
}

/**
 * Whether the upstream instrumentation's span work can matter for this call: a tracer provider is
 * registered, or a span is active (upstream then also binds callbacks to the caller's context).
 * Otherwise its spans would be non-recording and its context work void, so the metric layer
 * calls the library directly, which saves about half of the instrumentation's CPU per call
 * (bench/db.js).
 */
export function spansWanted(): boolean {
  return isTracingEnabled() || trace.getSpan(context.active()) !== undefined;
}

/**
 * A meter provider that records nothing, for upstream instrumentations whose own metrics
 * duplicate the catalogue's. Recording them only for a View to drop them would still cost their
 * attribute hashing on every call (~15 µs of CPU per pool query in a CPU profile of bench/db.js).
 */
export const NOOP_METER_PROVIDER: MeterProvider = { getMeter: () => createNoopMeter() };

/** An upstream instrumentation extended with the catalogue's metrics, as {@link instrumentationPlugin} drives it. */
export interface MetricsInstrumentation {
  readonly instrumentationName: string;
  /** Patches the library (if not yet) and records into `metrics` from now on. */
  enableMetrics(metrics: CatalogueMetrics): void;
  /** Removes every patch and stops recording. */
  disable(): void;
}

/**
 * The plugin of `instrumentation` as `initTelemetry()` loads it; `enabled: false` leaves the
 * library unpatched. The upstream instrumentation records no metric of its own: it has the
 * {@link NOOP_METER_PROVIDER}.
 */
export function instrumentationPlugin(
  name: string,
  instrumentation: MetricsInstrumentation,
  options: { readonly enabled?: boolean },
): TelemetryPlugin {
  return {
    name,
    enable(telemetry) {
      if (options.enabled === false) return;
      instrumentation.enableMetrics(telemetry.metrics);
    },
    disable() {
      instrumentation.disable();
    },
  };
}
