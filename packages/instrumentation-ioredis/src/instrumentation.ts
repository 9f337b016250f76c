import type { CatalogueMetrics } from '@agent-telemetry/core';
import { cachedModule, NOOP_METER_PROVIDER, patchLoadedModules } from '@agent-telemetry/core/instrumentation-support';
import type {
  InstrumentationModuleDefinition,
  InstrumentationNodeModuleDefinition,
} from '@opentelemetry/instrumentation';
import { IORedisInstrumentation as UpstreamIORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { CommandSeries } from './CommandSeries';
import { sendCommandWithMetrics } from './commandPatch';
import type { RedisMetricsHost, SendCommand } from './internal-types';
import { logger } from './logger';
import type { IORedisTelemetryOptions } from './types';

// Upstream's own default is kept: without a parent span, no span (but the command is counted).
export const DEFAULT_CONFIG: IORedisTelemetryOptions = { enabled: true, includeHandshakeCommands: false };

// The upstream class types `getConfig()` with its own options; the constructor and `setConfig()`
// store this package's. A declaration merged into the class narrows the type, with no runtime code.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- it only narrows getConfig()
export interface IORedisInstrumentation {
  getConfig(): IORedisTelemetryOptions;
}

/**
 * `@opentelemetry/instrumentation-ioredis`, extended with the catalogue's metrics.
 *
 * The upstream class makes the spans (they reach whatever tracer provider the service
 * registered). Where it wraps `Redis#sendCommand`, this class puts the metric layer around its
 * wrapper, so the method is patched once, unpatched by the upstream `disable()`, and every
 * command is counted whether or not a span is recorded.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class IORedisInstrumentation extends UpstreamIORedisInstrumentation implements RedisMetricsHost {
  private _series: CommandSeries | undefined;
  /** Set by `init()`, which the base constructor calls before field initializers run. */
  declare private _definitions: InstrumentationModuleDefinition[] | undefined;

  constructor(config: IORedisTelemetryOptions = {}) {
    // Created disabled: `enableMetrics()` patches once there is somewhere to record.
    super({ ...DEFAULT_CONFIG, ...config, enabled: false });
    // Metrics come from the metric layer only: whatever upstream may record goes nowhere.
    this.setMeterProvider(NOOP_METER_PROVIDER);
    // Every patch of the upstream class goes through `_wrap`: add the metric layer there.
    const upstreamWrap = this._wrap;
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

  get series(): CommandSeries | undefined {
    return this._series;
  }

  get includeHandshakeCommands(): boolean {
    return this.getConfig().includeHandshakeCommands === true;
  }

  /** Patches ioredis (if not yet) and records into `metrics` from now on. */
  enableMetrics(metrics: CatalogueMetrics): void {
    this._series = new CommandSeries(metrics);
    this.enable();
  }

  override enable(): void {
    super.enable();
    this._patchLoadedModules();
  }

  /** Removes every patch and stops recording. */
  override disable(): void {
    super.disable();
    this._series = undefined;
  }

  override init(): InstrumentationNodeModuleDefinition[] {
    const definitions = super.init();
    this._definitions ??= definitions;
    return definitions;
  }

  /** Patches ioredis if the service (or this package) loaded it, or began to, before `enable()`. */
  private _patchLoadedModules(): void {
    patchLoadedModules(this, this._definitions ?? [], (name) => cachedModule(name, process.cwd(), __dirname), logger);
  }
}
