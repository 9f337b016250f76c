import type { CatalogueMetrics } from '@agent-telemetry/core';
import { createNoopMeter, type MeterProvider } from '@opentelemetry/api';
import type {
  InstrumentationModuleDefinition,
  InstrumentationNodeModuleDefinition,
  ShimWrapped,
} from '@opentelemetry/instrumentation';
import { IORedisInstrumentation as UpstreamIORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { sendCommandWithMetrics } from './commandPatch';
import type { RedisMetrics, RedisMetricsHost, SendCommand } from './internal-types';
import { logger } from './logger';
import type { IORedisTelemetryOptions } from './types';

// Upstream's own default is kept: without a parent span, no span (but the command is counted).
export const DEFAULT_CONFIG: IORedisTelemetryOptions = { enabled: true, includeHandshakeCommands: false };

// Metrics come from the metric layer only: whatever upstream may record goes to a no-op meter.
const NO_METRICS: MeterProvider = { getMeter: () => createNoopMeter() };

/** The signature of `InstrumentationBase#_wrap` (shimmer's `wrap`). */
type Wrap = <Nodule extends object, FieldName extends keyof Nodule>(
  nodule: Nodule,
  name: FieldName,
  wrapper: (original: Nodule[FieldName], name: FieldName) => Nodule[FieldName],
) => ShimWrapped | undefined;

/**
 * `@opentelemetry/instrumentation-ioredis`, extended with the catalogue's metrics.
 *
 * The upstream class makes the spans (they reach whatever tracer provider the service
 * registered). Where it wraps `Redis#sendCommand`, this class puts the metric layer around its
 * wrapper, so the method is patched once, unpatched by the upstream `disable()`, and every
 * command is counted whether or not a span is recorded.
 */
export class IORedisInstrumentation extends UpstreamIORedisInstrumentation implements RedisMetricsHost {
  private _metrics: RedisMetrics | undefined;
  /** Set by `init()`, which the base constructor calls before field initializers run. */
  declare private _definitions: InstrumentationModuleDefinition[] | undefined;

  constructor(config: IORedisTelemetryOptions = {}) {
    // Created disabled: `enableMetrics()` patches once there is somewhere to record.
    super({ ...DEFAULT_CONFIG, ...config, enabled: false });
    this.setMeterProvider(NO_METRICS);
    // Every patch of the upstream class goes through `_wrap`: add the metric layer there.
    const upstreamWrap: Wrap = this._wrap;
    this._wrap = (nodule, name, wrapper) => {
      if (name !== 'sendCommand') return upstreamWrap(nodule, name, wrapper);
      const withMetrics = (original: SendCommand): SendCommand =>
        sendCommandWithMetrics(original, (wrapper as unknown as (o: SendCommand) => SendCommand)(original), this);
      return upstreamWrap(nodule, name, withMetrics as unknown as typeof wrapper);
    };
  }

  override setConfig(config: IORedisTelemetryOptions = {}): void {
    super.setConfig({ ...DEFAULT_CONFIG, ...config });
  }

  override getConfig(): IORedisTelemetryOptions {
    return super.getConfig();
  }

  get metrics(): RedisMetrics | undefined {
    return this._metrics;
  }

  get includeHandshakeCommands(): boolean {
    return this.getConfig().includeHandshakeCommands === true;
  }

  /** Patches ioredis (if not yet) and records into `metrics` from now on. */
  enableMetrics(metrics: CatalogueMetrics): void {
    this._metrics = metrics;
    this.enable();
  }

  override enable(): void {
    super.enable();
    this._patchLoadedModules();
  }

  /** Removes every patch and stops recording. */
  override disable(): void {
    super.disable();
    this._metrics = undefined;
  }

  override init(): InstrumentationNodeModuleDefinition[] {
    const definitions = super.init();
    this._definitions ??= definitions;
    return definitions;
  }

  /**
   * Patches ioredis when it was loaded before `enable()`: the require hooks only see later
   * loads, and a service (or a test runner with its own module registry) may well have imported
   * ioredis first. Registering the exports on the definition lets `disable()` unpatch them.
   */
  private _patchLoadedModules(): void {
    for (const definition of this._definitions ?? []) {
      if (definition.moduleExports !== undefined || definition.patch === undefined) continue;
      const exports = loadedModule(definition.name);
      if (exports === undefined) continue;
      logger.debug(`patching ${definition.name}, loaded before the instrumentation was enabled`);
      definition.moduleExports = exports;
      definition.patch(exports, definition.moduleVersion);
    }
  }
}

/** The exports of `name` if the service (or this package) has loaded it already. */
function loadedModule(name: string): unknown {
  try {
    return require.cache[require.resolve(name, { paths: [process.cwd(), __dirname] })]?.exports;
  } catch {
    return undefined;
  }
}
