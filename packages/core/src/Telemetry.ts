import type { Attributes } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { randomUUID } from 'node:crypto';
import { catalogueEntries, PROMETHEUS_TYPE, seriesNames } from './catalogue';
import { resolveConfig, type ResolvedConfig } from './config';
import { logger } from './logger';
import {
  createMetricsHandler,
  startMetricsServer,
  type MetricsRequestHandler,
  type MetricsServer,
} from './MetricsEndpoint';
import { TelemetryMeterProvider } from './meterProvider';
import type { MetricTable, NoMetrics } from './metricTable';
import { MetricRegistry, type RegistryMetrics } from './MetricRegistry';
import { createOtlpReader } from './otlpReader';
import { PrometheusTextSerializer } from './PrometheusTextSerializer';
import { startRuntimeMetrics } from './runtimeMetrics';
import { ServedRegistries } from './servedRegistries';
import type { CoreOptions } from './types';

/** What {@link createTelemetry} needs beyond the user's options. */
export interface TelemetrySetup {
  /**
   * Meters whose instruments are exported over OTLP only and left out of the Prometheus
   * exposition, where catalogue metrics already carry the same data under their own names
   * (the GenAI semantic-convention histograms of the LLM instrumentation).
   */
  readonly otlpOnlyMeters?: readonly string[];
  /** Registry to export; a new one by default (`initTelemetry()` passes `defaultRegistry()`). */
  readonly registry?: MetricRegistry<MetricTable>;
  /** Environment to read instead of `process.env` (tests). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A running telemetry set-up: the metrics, the endpoint and the exporters. */
export interface Telemetry<T extends MetricTable = NoMetrics> {
  /** Every catalogue metric and the service's own (`metrics` option), typed, by exact Prometheus name. */
  readonly metrics: RegistryMetrics<T>;
  /**
   * The OTel MeterProvider that instrumentations record into; `initTelemetry()` registers it as
   * the global one. Its instruments reach the Prometheus exposition and OTLP; histograms in
   * seconds or bytes without bucket advice get the catalogue's buckets.
   */
  readonly meterProvider: MeterProvider;
  /** Handler for `/api/v1/metrics` in the service's own server. */
  readonly metricsHandler: MetricsRequestHandler;
  /** The standalone metrics server, when `prometheus.server` is on. */
  readonly metricsServer: MetricsServer | undefined;
  /** The options as resolved: defaults applied, environment variables read. */
  readonly config: ResolvedConfig;
  /** The current Prometheus exposition text. */
  scrape(): Promise<string>;
  /** Pushes pending OTLP data, stops the server and collectors. Safe to call twice. */
  shutdown(): Promise<void>;
}

/**
 * Wires the registry, the MeterProvider, its readers and the metrics endpoint.
 * @throws TelemetryConfigError for an invalid option or environment variable
 */
export function createTelemetry<const T extends MetricTable = NoMetrics>(
  options: CoreOptions<T> = {},
  setup: TelemetrySetup = {},
): Telemetry<T> {
  const config = resolveConfig(options, setup.env);
  const registry = (setup.registry ?? new MetricRegistry()).define(options.metrics ?? {}) as MetricRegistry<T>;
  // The identity resolved from options and env wins over the raw resource attributes, so the
  // resource and app_info never disagree.
  const resource = resourceFromAttributes({
    'service.instance.id': randomUUID(),
    ...config.resourceAttributes,
    ...config.constantLabels,
    'service.name': config.serviceName,
    'service.version': config.serviceVersion,
    'deployment.environment.name': config.environment,
  });

  // The Prometheus reader exists even with the exporter off: the handler and scrape() use it.
  const prometheus = new PrometheusExporter({
    preventServerStart: true,
    metricProducers: [registry],
    withoutScopeInfo: true,
    withoutTargetInfo: true,
  });
  const readers: MetricReader[] = [prometheus];
  if (config.otlpEnabled) readers.push(createOtlpReader(config, registry));

  const meterProvider = new TelemetryMeterProvider({ resource, views: [...config.views], readers });

  const serializer = new PrometheusTextSerializer({
    ...pick(resource.attributes, config.prometheus.resourceLabels),
    ...config.constantLabels,
  });
  const otlpOnly = new Set(setup.otlpOnlyMeters ?? []);
  const served =
    config.prometheus.registries.length > 0
      ? new ServedRegistries(config.prometheus.registries, definedSeries(registry, config.runtimeMetrics))
      : undefined;
  const scrape = async (): Promise<string> => {
    const collected = await prometheus.collect();
    if (collected.errors.length > 0) logger.error('some metrics failed to collect', ...collected.errors);
    const resourceMetrics =
      otlpOnly.size === 0
        ? collected.resourceMetrics
        : {
            ...collected.resourceMetrics,
            scopeMetrics: collected.resourceMetrics.scopeMetrics.filter(({ scope }) => !otlpOnly.has(scope.name)),
          };
    const text = serializer.serialize(resourceMetrics);
    return served === undefined ? text : text + (await served.exposition(resourceMetrics));
  };
  const metricsHandler = createMetricsHandler(scrape, config.prometheus.auth);
  const metricsServer =
    config.prometheusEnabled && config.prometheus.server
      ? startMetricsServer({ ...config.prometheus, handler: metricsHandler })
      : undefined;

  const { metrics } = registry;
  metrics.app_info.set(
    {
      version: config.serviceVersion,
      environment: config.environment,
      service: config.serviceName,
      node_version: process.version,
    },
    1,
  );
  // Removed at shutdown: the registry may outlive this set-up (`defaultRegistry()`), and callbacks
  // of one gauge are summed, so a second set-up would otherwise report twice the uptime.
  const removeUptime = metrics.app_uptime_seconds.addCallback((observe) => observe({}, process.uptime()));
  const stopRuntimeMetrics = config.runtimeMetrics ? startRuntimeMetrics(metrics) : () => {};

  let shutdown: Promise<void> | undefined;
  return {
    metrics,
    meterProvider,
    metricsHandler,
    metricsServer,
    config,
    scrape,
    shutdown: () =>
      (shutdown ??= (async () => {
        stopRuntimeMetrics();
        removeUptime();
        await Promise.all([meterProvider.shutdown(), metricsServer?.close()]);
      })()),
  };
}

/**
 * The series names of the metrics this set-up reports (the catalogue's, its runtime group only with
 * runtime metrics on, and the service's own), with whose each is.
 */
function definedSeries(registry: Pick<MetricRegistry, 'definedMetrics'>, runtime: boolean): Map<string, string> {
  const series = new Map<string, string>();
  const catalogue = catalogueEntries().filter(([, { group }]) => runtime || group !== 'runtime');
  for (const [name, { kind }] of [...catalogue, ...registry.definedMetrics()]) {
    for (const each of seriesNames(name, PROMETHEUS_TYPE[kind])) series.set(each, `agent-telemetry's ${name}`);
  }
  return series;
}

/** The attributes of `keys` that are set, in the order of `keys`. */
function pick(attributes: Attributes, keys: readonly string[]): Attributes {
  const picked: Attributes = {};
  for (const key of keys) if (attributes[key] !== undefined) picked[key] = attributes[key];
  return picked;
}
