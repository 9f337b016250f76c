import { diag, type Attributes } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricReader,
  type PushMetricExporter,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { randomUUID } from 'node:crypto';
import { resolveConfig, type ResolvedConfig } from './config';
import { createMetricsHandler, startMetricsServer, type MetricsRequestHandler, type MetricsServer } from './MetricsEndpoint';
import { MetricRegistry, type CatalogueMetrics } from './MetricRegistry';
import { PrometheusTextSerializer } from './PrometheusTextSerializer';
import { startRuntimeMetrics } from './runtimeMetrics';
import type { CoreOptions } from './types';
import { dropMeterViews, runtimeViews } from './views';

/** What {@link createTelemetry} needs beyond the user's options. */
export interface TelemetrySetup {
  /** Meters of upstream instrumentations whose own metrics duplicate the catalogue's. */
  readonly dropMeters?: readonly string[];
  /** Registry to export; a new one by default (`initTelemetry()` passes `defaultRegistry()`). */
  readonly registry?: MetricRegistry;
  /** Environment to read instead of `process.env` (tests). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A running telemetry set-up: the metrics, the endpoint and the exporters. */
export interface Telemetry {
  /** Every catalogue metric, typed, by its exact Prometheus name. */
  readonly metrics: CatalogueMetrics;
  /** The OTel MeterProvider that instrumentations record into. */
  readonly meterProvider: MeterProvider;
  /** Handler for `/api/v1/metrics` in the service's own server. */
  readonly metricsHandler: MetricsRequestHandler;
  /** The standalone metrics server, when `prometheus.server` is on. */
  readonly metricsServer: MetricsServer | undefined;
  readonly config: ResolvedConfig;
  /** The current Prometheus exposition text. */
  scrape(): Promise<string>;
  /** Pushes pending OTLP data, stops the server and collectors. Safe to call twice. */
  shutdown(): Promise<void>;
}

/** Wires the registry, the MeterProvider, its readers and the metrics endpoint. */
export function createTelemetry(options: CoreOptions = {}, setup: TelemetrySetup = {}): Telemetry {
  const config = resolveConfig(options, setup.env);
  const registry = setup.registry ?? new MetricRegistry();
  const resource = resourceFromAttributes({
    'service.name': config.serviceName,
    'service.version': config.serviceVersion,
    'service.instance.id': randomUUID(),
    'deployment.environment.name': config.environment,
    ...config.resourceAttributes,
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

  const views: ViewOptions[] = [...runtimeViews(), ...dropMeterViews(setup.dropMeters ?? [])];
  const meterProvider = new MeterProvider({ resource, views, readers });

  const serializer = new PrometheusTextSerializer(config.prometheus.resourceLabels ? identityLabels(resource.attributes) : {});
  const scrape = async (): Promise<string> => {
    const { resourceMetrics, errors } = await prometheus.collect();
    if (errors.length > 0) diag.error('agent-telemetry: some metrics failed to collect', ...errors);
    return serializer.serialize(resourceMetrics);
  };
  const metricsHandler = createMetricsHandler(scrape, config.prometheus.auth);
  const metricsServer =
    config.prometheusEnabled && config.prometheus.server
      ? startMetricsServer({ ...config.prometheus, handler: metricsHandler })
      : undefined;

  const { metrics } = registry;
  metrics.app_info.set(
    { version: config.serviceVersion, environment: config.environment, service: config.serviceName, node_version: process.version },
    1,
  );
  metrics.app_uptime_seconds.addCallback((observe) => observe({}, process.uptime()));
  const stopRuntimeMetrics = config.runtimeMetrics ? startRuntimeMetrics(meterProvider) : () => {};

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
        await Promise.all([meterProvider.shutdown(), metricsServer?.close()]);
      })()),
  };
}

function createOtlpReader(config: ResolvedConfig, registry: MetricRegistry): MetricReader {
  const exporter = new OTLPMetricExporter({
    url: config.otlp.endpoint,
    headers: { ...config.otlp.headers },
    timeoutMillis: config.otlp.timeoutMillis,
    // The registry keeps cumulative values; OTLP receives them as they are.
    temporalityPreference: AggregationTemporality.CUMULATIVE,
  });
  return new PeriodicExportingMetricReader({
    exporter: countingFailures(exporter, 'otlp', registry),
    exportIntervalMillis: config.otlp.intervalMillis,
    exportTimeoutMillis: Math.min(config.otlp.timeoutMillis, config.otlp.intervalMillis),
    metricProducers: [registry],
  });
}

const FAILURE_LOG_INTERVAL_MS = 60_000;

/**
 * Wraps an exporter so that failed pushes are counted in `agent_telemetry_export_failures_total`
 * and logged at most once a minute: a collector that is down must be visible, not noisy. The
 * reader is then told the push succeeded, because its only reaction to a failure is one more
 * unthrottled log line per interval.
 */
function countingFailures(exporter: PushMetricExporter, name: string, registry: MetricRegistry): PushMetricExporter {
  const failures = registry.metrics.agent_telemetry_export_failures_total.labels({ exporter: name });
  let lastLog = -Infinity;
  return {
    export(metrics, resultCallback) {
      exporter.export(metrics, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) {
          failures.inc();
          const now = Date.now();
          if (now - lastLog >= FAILURE_LOG_INTERVAL_MS) {
            lastLog = now;
            diag.error(`agent-telemetry: ${name} export failed (counted in agent_telemetry_export_failures_total)`, result.error);
          }
        }
        resultCallback({ code: ExportResultCode.SUCCESS });
      });
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
    selectAggregationTemporality: exporter.selectAggregationTemporality?.bind(exporter),
  };
}

/** Service identity as Prometheus labels (`service_name`, `service_instance_id`, ...). */
function identityLabels(attributes: Attributes): Attributes {
  const labels: Attributes = {};
  for (const key of ['service.name', 'service.namespace', 'service.version', 'service.instance.id', 'deployment.environment.name']) {
    if (attributes[key] !== undefined) labels[key] = attributes[key];
  }
  return labels;
}
