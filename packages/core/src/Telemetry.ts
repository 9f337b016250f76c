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
  type MetricsRejection,
  type MetricsRequestHandler,
  type MetricsServer,
} from './MetricsEndpoint';
import { TelemetryMeterProvider } from './meterProvider';
import type { MetricTable, NoMetrics } from './metricTable';
import { MetricRegistry, type RegistryMetrics } from './MetricRegistry';
import { createOtlpPush, pushDeadlineMillis } from './otlpReader';
import { createPrometheusScrape } from './prometheusScrape';
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
  /** The current Prometheus exposition text; concurrent calls share one collection. */
  scrape(): Promise<string>;
  /**
   * Pushes pending OTLP data, stops the server and collectors. Safe to call twice. Resolves
   * within {@link shutdownBoundMillis} whatever the collector does.
   */
  shutdown(): Promise<void>;
}

/**
 * How long `shutdown()` may take: one collection and one push. The last push is cumulative, so
 * it carries whatever a push cut short would have.
 */
export function shutdownBoundMillis(config: ResolvedConfig): number {
  return config.collectionTimeoutMillis + (config.otlpEnabled ? pushDeadlineMillis(config) : 0);
}

/**
 * Wires the registry, the MeterProvider, its readers and the metrics endpoint.
 * @throws TelemetryConfigError for an invalid option or environment variable
 */
export function createTelemetry<const T extends MetricTable = NoMetrics>(
  options: CoreOptions<T> = {},
  setup: TelemetrySetup = {},
): Telemetry<T> {
  const config = resolveConfig(options, setup.env, (message) => logger.warn(message));
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
  const otlp = config.otlpEnabled ? createOtlpPush(config, registry) : undefined;
  const readers: MetricReader[] = otlp === undefined ? [prometheus] : [prometheus, otlp.reader];

  const meterProvider = new TelemetryMeterProvider({ resource, views: [...config.views], readers });

  const serializer = new PrometheusTextSerializer({
    ...pick(resource.attributes, config.prometheus.resourceLabels),
    ...config.constantLabels,
  });
  const sharedScrape = createPrometheusScrape({
    reader: prometheus,
    serializer,
    registry,
    collectionTimeoutMillis: config.collectionTimeoutMillis,
    maxExpositionBytes: config.prometheus.maxExpositionBytes,
    otlpOnlyScopes: new Set(setup.otlpOnlyMeters ?? []),
    served:
      config.prometheus.registries.length > 0
        ? new ServedRegistries(config.prometheus.registries, definedSeries(registry, config.runtimeMetrics))
        : undefined,
  });
  const scrape = async (): Promise<string> => (await sharedScrape()).text;
  const rejected = (reason: MetricsRejection) =>
    registry.metrics.agent_telemetry_metrics_requests_rejected_total.inc({ reason });
  const metricsHandler = createMetricsHandler(
    async () => (await sharedScrape()).bytes,
    config.prometheus.auth,
    rejected,
  );
  const metricsServer =
    config.prometheusEnabled && config.prometheus.server
      ? startMetricsServer({ ...config.prometheus, handler: metricsHandler, onRejected: rejected })
      : undefined;

  const { metrics } = registry;
  const appInfo = {
    version: config.serviceVersion,
    environment: config.environment,
    service: config.serviceName,
    node_version: process.version,
  };
  metrics.app_info.set(appInfo, 1);
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
        // The registry may outlive this set-up: the next one reports its own identity.
        metrics.app_info.remove(appInfo);
        const bound = shutdownBoundMillis(config);
        // A push still open (a slow collector) would hold the last one up: it goes first.
        otlp?.endAll();
        try {
          await Promise.all([meterProvider.shutdown({ timeoutMillis: bound }), metricsServer?.close()]);
        } catch (err) {
          logger.error(`shutdown did not finish within ${bound} ms; the last OTLP push may be lost`, err);
        } finally {
          // Nothing may outlive shutdown and hold the process open.
          otlp?.endAll();
        }
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
