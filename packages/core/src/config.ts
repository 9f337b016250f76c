import type { Attributes } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import { MeterProvider, type ViewOptions } from '@opentelemetry/sdk-metrics';
import {
  CATALOGUE,
  catalogueEntries,
  DEFAULT_CARDINALITY_LIMIT,
  type CardinalityLimits,
  type MetricName,
} from './catalogue';
import { resolveAuth } from './authConfig';
import { DEFAULT_MAX_EXPOSITION_BYTES } from './ExpositionBudget';
import { isLabelName } from './labelNames';
import { sanitizeName } from './PrometheusTextSerializer';
import type { PrometheusRegistry } from './servedRegistries';
import { TelemetryConfigError } from './TelemetryConfigError';
import type { CoreOptions, ExporterName, MetricsEndpointAuth } from './types';

export { TelemetryConfigError };

/** Every option with its default applied and its environment variable read. */
export interface ResolvedConfig {
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly environment: string;
  readonly resourceAttributes: Attributes;
  readonly prometheusEnabled: boolean;
  readonly otlpEnabled: boolean;
  readonly prometheus: {
    readonly server: boolean;
    readonly host: string;
    readonly port: number;
    readonly path: string;
    readonly auth: MetricsEndpointAuth | undefined;
    /** Resource attribute keys added as labels to every sample. */
    readonly resourceLabels: readonly string[];
    /** prom-client registries served in the same exposition. */
    readonly registries: readonly PrometheusRegistry[];
    readonly maxExpositionBytes: number;
  };
  /** Labels added to every sample of the exposition, and to the OTLP resource. */
  readonly constantLabels: Readonly<Record<string, string>>;
  readonly otlp: {
    readonly endpoint: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly intervalMillis: number;
    readonly timeoutMillis: number;
  };
  readonly runtimeMetrics: boolean;
  readonly views: readonly ViewOptions[];
  readonly collectionTimeoutMillis: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Default deadline of one collection (`collectionTimeoutMillis`). */
const DEFAULT_COLLECTION_TIMEOUT_MILLIS = 3000;

const EXPORTERS: readonly ExporterName[] = ['prometheus', 'otlp', 'both', 'none'];

/**
 * Applies defaults and environment variables to `options`; throws `TelemetryConfigError`.
 *
 * @param warn told of configuration that works but is likely a mistake (an auth variable set but
 * empty); `createTelemetry()` logs it
 */
export function resolveConfig(
  options: CoreOptions = {},
  env: Env = process.env,
  warn: (message: string) => void = () => {},
): ResolvedConfig {
  const resourceFromEnv = parseResourceAttributes(env['OTEL_RESOURCE_ATTRIBUTES']);
  const exporters = parseExporters(options.exporter, envValue(env, 'OTEL_METRICS_EXPORTER'));
  const prom = options.prometheus ?? {};
  const otlp = options.otlp ?? {};
  const environment =
    options.environment ??
    stringAttribute(resourceFromEnv['deployment.environment.name']) ??
    stringAttribute(resourceFromEnv['deployment.environment']) ??
    envValue(env, 'NODE_ENV') ??
    'development';
  const config = {
    // As the OTel SDKs: OTEL_SERVICE_NAME wins over `service.name` in OTEL_RESOURCE_ATTRIBUTES.
    serviceName:
      options.serviceName ??
      envValue(env, 'OTEL_SERVICE_NAME') ??
      stringAttribute(resourceFromEnv['service.name']) ??
      'unknown_service:node',
    serviceVersion:
      options.serviceVersion ??
      stringAttribute(resourceFromEnv['service.version']) ??
      envValue(env, 'npm_package_version') ??
      '0.0.0',
    environment,
    resourceAttributes: { ...resourceFromEnv, ...options.resourceAttributes },
    prometheusEnabled: exporters.has('prometheus'),
    otlpEnabled: exporters.has('otlp'),
    prometheus: {
      server:
        prom.server ??
        parseBoolean(
          'prometheus.server (AGENT_TELEMETRY_PROMETHEUS_SERVER)',
          env['AGENT_TELEMETRY_PROMETHEUS_SERVER'],
          true,
        ),
      host: prom.host ?? envValue(env, 'OTEL_EXPORTER_PROMETHEUS_HOST') ?? 'localhost',
      port: port(
        'prometheus.port (OTEL_EXPORTER_PROMETHEUS_PORT)',
        prom.port ?? env['OTEL_EXPORTER_PROMETHEUS_PORT'],
        9464,
      ),
      path: path('prometheus.path', prom.path ?? '/metrics'),
      auth: resolveAuth(prom.auth, env, warn),
      resourceLabels: resourceLabels(prom.resourceLabels, envValue(env, 'AGENT_TELEMETRY_PROMETHEUS_RESOURCE_LABELS')),
      registries: servedRegistries(prom.registries ?? []),
      maxExpositionBytes: positiveInteger(
        'prometheus.maxExpositionBytes (AGENT_TELEMETRY_PROMETHEUS_MAX_EXPOSITION_BYTES)',
        prom.maxExpositionBytes ?? env['AGENT_TELEMETRY_PROMETHEUS_MAX_EXPOSITION_BYTES'],
        DEFAULT_MAX_EXPOSITION_BYTES,
      ),
    },
    otlp: {
      endpoint: url('otlp.endpoint (OTEL_EXPORTER_OTLP_METRICS_ENDPOINT)', otlp.endpoint ?? otlpEndpointFromEnv(env)),
      headers: otlp.headers ?? {},
      intervalMillis: positiveInteger(
        'otlp.intervalMillis (OTEL_METRIC_EXPORT_INTERVAL)',
        otlp.intervalMillis ?? env['OTEL_METRIC_EXPORT_INTERVAL'],
        60000,
      ),
      timeoutMillis: positiveInteger(
        'otlp.timeoutMillis (OTEL_METRIC_EXPORT_TIMEOUT)',
        otlp.timeoutMillis ?? env['OTEL_METRIC_EXPORT_TIMEOUT'],
        10000,
      ),
    },
    runtimeMetrics:
      options.runtimeMetrics ??
      parseBoolean('runtimeMetrics (AGENT_TELEMETRY_RUNTIME_METRICS)', env['AGENT_TELEMETRY_RUNTIME_METRICS'], true),
    views: checkViews(options.views ?? []),
    collectionTimeoutMillis: positiveInteger(
      'collectionTimeoutMillis (AGENT_TELEMETRY_COLLECTION_TIMEOUT)',
      options.collectionTimeoutMillis ?? env['AGENT_TELEMETRY_COLLECTION_TIMEOUT'],
      DEFAULT_COLLECTION_TIMEOUT_MILLIS,
    ),
  };
  return { ...config, constantLabels: constantLabels(options, env, config.prometheus.resourceLabels) };
}

/** Views as the OTel SDK checks them: a provider without readers builds them and starts nothing. */
function checkViews(views: readonly ViewOptions[]): readonly ViewOptions[] {
  if (!Array.isArray(views)) throw new TelemetryConfigError('views', views, 'an array of OTel ViewOptions');
  views.forEach((view, index) => {
    try {
      new MeterProvider({ resource: emptyResource(), views: [view] });
    } catch (err) {
      throw new TelemetryConfigError(`views[${index}]`, view, `OTel ViewOptions (${(err as Error).message})`);
    }
  });
  return views;
}

/** An environment variable's value; empty counts as unset, as the OTel SDKs read them. */
function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function parseExporters(option: ExporterName | undefined, fromEnv: string | undefined): Set<'prometheus' | 'otlp'> {
  const field = option === undefined && fromEnv !== undefined ? 'exporter (OTEL_METRICS_EXPORTER)' : 'exporter';
  const raw = option ?? fromEnv ?? 'prometheus';
  const names = String(raw)
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const result = new Set<'prometheus' | 'otlp'>();
  for (const name of names) {
    if (!(EXPORTERS as readonly string[]).includes(name)) {
      throw new TelemetryConfigError(field, raw, `${EXPORTERS.join(', ')}, or a comma-separated list of them`);
    }
    if (name === 'prometheus' || name === 'both') result.add('prometheus');
    if (name === 'otlp' || name === 'both') result.add('otlp');
  }
  return result;
}

/** `OTEL_RESOURCE_ATTRIBUTES`: `key=value` pairs separated by commas, values percent-encoded. */
export function parseResourceAttributes(raw: string | undefined): Attributes {
  return parseKeyValues('OTEL_RESOURCE_ATTRIBUTES', raw);
}

/** `key=value` pairs separated by commas, values percent-encoded (the format of `OTEL_RESOURCE_ATTRIBUTES`). */
function parseKeyValues(field: string, raw: string | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (!raw) return attributes;
  const invalid = () =>
    new TelemetryConfigError(field, raw, 'key=value pairs separated by commas, values percent-encoded');
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0 || pair.slice(0, eq).trim() === '') throw invalid();
    try {
      attributes[pair.slice(0, eq).trim()] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      throw invalid();
    }
  }
  return attributes;
}

/**
 * The resource attributes the service's identity shows as with `prometheus.resourceLabels: true`:
 * never `service.instance.id`, a new value at each start (a new series for every sample).
 */
const DEFAULT_RESOURCE_LABELS: readonly string[] = [
  'service.name',
  'service.namespace',
  'service.version',
  'deployment.environment.name',
];

function resourceLabels(
  option: boolean | readonly string[] | undefined,
  fromEnv: string | undefined,
): readonly string[] {
  const field = `prometheus.resourceLabels${option === undefined ? ' (AGENT_TELEMETRY_PROMETHEUS_RESOURCE_LABELS)' : ''}`;
  let keys: unknown = option;
  if (option === undefined && fromEnv !== undefined) {
    keys = /^(true|false|1|0|yes|no|on|off)$/i.test(fromEnv)
      ? parseBoolean(field, fromEnv, false)
      : fromEnv.split(',').map((key) => key.trim());
  }
  if (keys === undefined || keys === false) return [];
  if (keys === true) return DEFAULT_RESOURCE_LABELS;
  const valid =
    Array.isArray(keys) &&
    keys.every((key) => typeof key === 'string' && key !== '') &&
    new Set(keys.map(sanitizeName)).size === keys.length;
  if (!valid) {
    throw new TelemetryConfigError(
      field,
      option ?? fromEnv,
      'true (the service identity), false, or resource attribute keys with distinct label names (service.name, host.name, ...)',
    );
  }
  return keys as string[];
}

/** prom-client registries: their text is joined to ours, so it must be the same format. */
function servedRegistries(registries: readonly PrometheusRegistry[]): readonly PrometheusRegistry[] {
  const valid =
    Array.isArray(registries) &&
    registries.every(
      (registry: Partial<PrometheusRegistry> | null) =>
        typeof registry?.metrics === 'function' &&
        typeof registry.getMetricsAsArray === 'function' &&
        (registry.contentType === undefined || registry.contentType.startsWith('text/plain')),
    );
  if (!valid) {
    throw new TelemetryConfigError(
      'prometheus.registries',
      '<registries>',
      'an array of prom-client or @prometheus-io/client registries in the text format (not OpenMetrics)',
    );
  }
  return registries;
}

// Set by Prometheus itself from the scrape target; a sample's own would be renamed `exported_*`.
const TARGET_LABELS = new Set(['job', 'instance']);

/**
 * `constantLabels`, else `AGENT_TELEMETRY_CONSTANT_LABELS` (`key=value,...`). A name taken by a
 * label of a catalogue metric or of the service's table, by a chosen resource label, or by
 * Prometheus (`job`, `instance`) is an error: two labels of one name would make the sample invalid.
 */
function constantLabels(
  options: CoreOptions,
  env: Env,
  resourceLabelKeys: readonly string[],
): Readonly<Record<string, string>> {
  const fromOption = options.constantLabels !== undefined;
  const field = fromOption ? 'constantLabels' : 'constantLabels (AGENT_TELEMETRY_CONSTANT_LABELS)';
  const labels = fromOption ? options.constantLabels : parseKeyValues(field, env['AGENT_TELEMETRY_CONSTANT_LABELS']);
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new TelemetryConfigError(field, labels, 'an object of label values by label name');
  }
  const taken = new Map<string, string>();
  for (const [name, { labels: names }] of [...catalogueEntries(), ...Object.entries(options.metrics ?? {})]) {
    for (const label of names) if (!taken.has(label)) taken.set(label, `a label of ${name}`);
  }
  for (const key of resourceLabelKeys) taken.set(sanitizeName(key), `the resource label of ${key}`);
  for (const [name, value] of Object.entries(labels)) {
    if (!isLabelName(name) || TARGET_LABELS.has(name)) {
      throw new TelemetryConfigError(
        field,
        name,
        'label names ([a-zA-Z_][a-zA-Z0-9_]*), not starting with __, not le, quantile, otel_metric_overflow, job or instance',
      );
    }
    const owner = taken.get(name);
    if (owner !== undefined) throw new TelemetryConfigError(field, name, `a label name that is not ${owner} already`);
    if (typeof value !== 'string') throw new TelemetryConfigError(`${field}.${name}`, value, 'a string');
  }
  return { ...labels };
}

function otlpEndpointFromEnv(env: Env): string {
  const metrics = env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'];
  if (metrics) return metrics;
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  return base ? `${base.replace(/\/+$/, '')}/v1/metrics` : 'http://localhost:4318/v1/metrics';
}

function parseBoolean(field: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new TelemetryConfigError(field, raw, 'true or false');
}

function positiveInteger(field: string, raw: number | string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new TelemetryConfigError(field, raw, 'a positive integer');
  return value;
}

function port(field: string, raw: number | string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new TelemetryConfigError(field, raw, 'an integer from 0 to 65535');
  return value;
}

function path(field: string, raw: string): string {
  if (!raw.startsWith('/')) throw new TelemetryConfigError(field, raw, 'a path starting with /');
  return raw;
}

function url(field: string, raw: string): string {
  try {
    const parsed = new URL(raw);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return raw;
  } catch {
    // Reported below, with the field name.
  }
  throw new TelemetryConfigError(field, raw, 'an http:// or https:// URL');
}

function stringAttribute(value: Attributes[string]): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The cardinality limit of every catalogue metric: `overrides` first, then the catalogue's, then
 * the default. Throws `TelemetryConfigError` for an unknown metric or a limit below 1.
 */
export function resolveCardinalityLimits(overrides: CardinalityLimits = {}): Readonly<Record<MetricName, number>> {
  for (const [name, limit] of Object.entries(overrides)) {
    if (limit === undefined) continue;
    const field = `cardinalityLimits.${name}`;
    if (!Object.hasOwn(CATALOGUE, name)) throw new TelemetryConfigError(field, limit, 'a metric name of the catalogue');
    if (!Number.isInteger(limit) || limit < 1) throw new TelemetryConfigError(field, limit, 'a positive integer');
  }
  const limits = {} as Record<MetricName, number>;
  for (const [name, definition] of catalogueEntries()) {
    limits[name] = overrides[name] ?? definition.cardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT;
  }
  return limits;
}
