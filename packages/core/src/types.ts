import type { Attributes } from '@opentelemetry/api';
import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import type { CardinalityLimits } from './catalogue';
import type { MetricTable } from './metricTable';
import type { PrometheusRegistry } from './servedRegistries';

/** Where metrics go. */
export type ExporterName = 'prometheus' | 'otlp' | 'both' | 'none';

/** Credentials the metrics endpoint requires. */
export type MetricsEndpointAuth =
  { readonly bearerToken: string } | { readonly username: string; readonly password: string };

/** Options of the Prometheus endpoint. */
export interface PrometheusOptions {
  /**
   * Start a standalone metrics server. The handler can be mounted in the service's own server
   * either way.
   * @default true (env `AGENT_TELEMETRY_PROMETHEUS_SERVER`)
   */
  readonly server?: boolean;
  /** @default 'localhost' (env `OTEL_EXPORTER_PROMETHEUS_HOST`) */
  readonly host?: string;
  /** @default 9464 (env `OTEL_EXPORTER_PROMETHEUS_PORT`) */
  readonly port?: number;
  /** Path the standalone server answers on. @default '/metrics' */
  readonly path?: string;
  /**
   * Require a bearer token or basic auth on the endpoint (401 otherwise). A token is trimmed and
   * must then be printable ASCII without spaces; anything else is a `TelemetryConfigError`.
   * @default none (env `AGENT_TELEMETRY_METRICS_BEARER_TOKEN`, `AGENT_TELEMETRY_METRICS_BEARER_TOKEN_FILE`
   * (a file holding the token) or `AGENT_TELEMETRY_METRICS_BASIC_AUTH=user:password`)
   */
  readonly auth?: MetricsEndpointAuth;
  /**
   * Resource attributes to add as labels to every sample (dots become `_`), for scrapers that do
   * not add target labels themselves: `true` for the service's identity (`service.name`,
   * `service.namespace`, `service.version`, `deployment.environment.name`), or the attribute keys
   * to add (`['service.name', 'k8s.pod.name']`). `service.instance.id` is a new UUID at each start
   * unless set in `resourceAttributes`: as a label, each restart would begin new series.
   * @default false (env `AGENT_TELEMETRY_PROMETHEUS_RESOURCE_LABELS`: true, false, or keys separated by commas)
   */
  readonly resourceLabels?: boolean | readonly string[];
  /**
   * prom-client (or `@prometheus-io/client`) registries to serve in the same exposition, for a
   * migration: their families follow agent-telemetry's. One whose series names clash with
   * agent-telemetry's metrics or an earlier registry's is left out, with a warning (at start-up
   * for the metrics known then). The registries keep their own labels: `constantLabels` are not
   * added to their samples (`register.setDefaultLabels()` does that).
   * @default []
   */
  readonly registries?: readonly PrometheusRegistry[];
  /**
   * Ceiling of one exposition, in bytes, served registries included. Past it the scrape still
   * answers 200, with the series that fit (in exposition order; agent-telemetry's own metrics
   * always), and the cut is counted in `agent_telemetry_exposition_truncated_total` and logged once.
   * @default 33554432 (32 MiB; env `AGENT_TELEMETRY_PROMETHEUS_MAX_EXPOSITION_BYTES`)
   */
  readonly maxExpositionBytes?: number;
}

/** Options of the OTLP/HTTP push exporter. */
export interface OtlpOptions {
  /**
   * Full URL of the collector's metrics endpoint.
   * @default 'http://localhost:4318/v1/metrics' (env `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, or
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/metrics`)
   */
  readonly endpoint?: string;
  /** Extra request headers (e.g. an API key). @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** Milliseconds between pushes. @default 60000 (env `OTEL_METRIC_EXPORT_INTERVAL`) */
  readonly intervalMillis?: number;
  /** Milliseconds one push may take. @default 10000 (env `OTEL_METRIC_EXPORT_TIMEOUT`) */
  readonly timeoutMillis?: number;
}

/** Options of agent-telemetry's core set-up. Every field is optional; options win over env. */
export interface CoreOptions<T extends MetricTable = MetricTable> {
  /**
   * The service's own metrics (a `defineMetrics()` table, or the same object written here), added
   * to `telemetry.metrics` with the catalogue's typing, bound handles, buckets, cardinality limits
   * and drop counting.
   * @default {}
   */
  readonly metrics?: T;
  /** @default env `OTEL_SERVICE_NAME`, else `service.name` of `OTEL_RESOURCE_ATTRIBUTES`, else 'unknown_service:node' */
  readonly serviceName?: string;
  /** Reported as `app_info{version}` and `service.version`. @default `service.version` of `OTEL_RESOURCE_ATTRIBUTES`, else env `npm_package_version`, else '0.0.0' */
  readonly serviceVersion?: string;
  /** Reported as `app_info{environment}`. @default `deployment.environment` of `OTEL_RESOURCE_ATTRIBUTES`, else `NODE_ENV`, else 'development' */
  readonly environment?: string;
  /** Extra resource attributes, merged over `OTEL_RESOURCE_ATTRIBUTES`. @default {} */
  readonly resourceAttributes?: Attributes;
  /**
   * Labels added to every sample of the Prometheus exposition (as prom-client's default labels),
   * and to the OTLP resource, where OTel keeps what holds for the whole process. A name that a
   * catalogue metric, the service's table or a resource label has already is an error.
   * @default {} (env `AGENT_TELEMETRY_CONSTANT_LABELS=region=eu-west-1,team=agents`, values percent-encoded)
   */
  readonly constantLabels?: Readonly<Record<string, string>>;
  /** @default 'prometheus' (env `OTEL_METRICS_EXPORTER`: prometheus, otlp, both, none, or a comma list) */
  readonly exporter?: ExporterName;
  /** The Prometheus endpoint. @default see {@link PrometheusOptions} */
  readonly prometheus?: PrometheusOptions;
  /** OTLP push, used when `exporter` is `otlp` or `both`. @default see {@link OtlpOptions} */
  readonly otlp?: OtlpOptions;
  /** Node runtime and process metrics. @default true (env `AGENT_TELEMETRY_RUNTIME_METRICS`) */
  readonly runtimeMetrics?: boolean;
  /**
   * OTel Views for the instruments the service (or a library) makes through the OpenTelemetry API
   * or `telemetry.meterProvider`: rename, re-bucket, drop, allow-list attributes. Catalogue
   * metrics are not OTel instruments and are not affected.
   * @default []
   */
  readonly views?: readonly ViewOptions[];
  /**
   * Milliseconds the asynchronous callbacks of one collection (a scrape, an OTLP push) may take.
   * A callback past it is left out of that collection, counted in
   * `agent_telemetry_collection_errors_total{reason="timeout"}` and logged at most once a minute.
   * @default 3000 (env `AGENT_TELEMETRY_COLLECTION_TIMEOUT`)
   */
  readonly collectionTimeoutMillis?: number;
}

/** Options of a `MetricRegistry`. */
export interface MetricRegistryOptions<T extends MetricTable = MetricTable> {
  /** The service's own metrics, as for `MetricRegistry#define()`. @default {} */
  readonly metrics?: T;
  /**
   * Most label sets kept per metric, the overflow series included; further label sets fold into
   * one `otel_metric_overflow="true"` series. Pass the same limits to `catalogueViews()` when
   * catalogue metrics are also recorded through an OTel MeterProvider.
   * @default each metric's `cardinalityLimit` in the catalogue, else 2000
   */
  readonly cardinalityLimits?: CardinalityLimits;
}
