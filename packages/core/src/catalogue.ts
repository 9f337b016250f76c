/**
 * The metric catalogue: every metric agent-telemetry publishes, with its exact Prometheus name.
 *
 * This table is the single source of truth. Instruments, OTel Views, the README's metric
 * reference and the consistency checks of `monitoring/` are all derived from it.
 */

/** How a metric is recorded and how it is exposed. */
export type MetricKind =
  /** Monotonic sum, exposed as a Prometheus `counter`. */
  | 'counter'
  /** Explicit-bucket histogram, exposed as a Prometheus `histogram`. */
  | 'histogram'
  /** Last value set, exposed as a Prometheus `gauge`. */
  | 'gauge'
  /** Non-monotonic sum (inc/dec), exposed as a Prometheus `gauge`. */
  | 'updowncounter'
  /** Value read by a callback at collection time, exposed as a Prometheus `gauge`. */
  | 'observable_gauge'
  /** Monotonic total read by a callback at collection time, exposed as a Prometheus `counter`. */
  | 'observable_counter';

/** The Prometheus type each kind is exposed as. */
export const PROMETHEUS_TYPE: Readonly<Record<MetricKind, 'counter' | 'gauge' | 'histogram'>> = {
  counter: 'counter',
  histogram: 'histogram',
  gauge: 'gauge',
  updowncounter: 'gauge',
  observable_gauge: 'gauge',
  observable_counter: 'counter',
};

/** The series names a metric family is written as, by its Prometheus type. */
export function seriesNames(name: string, type: string | undefined): string[] {
  if (type === 'histogram') return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

/** What every metric definition holds: the catalogue's rows and the service's own metrics alike. */
export interface MetricShape {
  /** How it is recorded and exposed. */
  readonly kind: MetricKind;
  /** UCUM unit, as OTLP carries it (`s`, `By`, `1`, `{request}`, `USD`). */
  readonly unit: string;
  /** The `# HELP` text. */
  readonly help: string;
  /** Label names, in exposition order; no other attribute ever becomes a label. */
  readonly labels: readonly string[];
  /** Upper bounds of the histogram buckets (`+Inf` is implicit). Histograms only. */
  readonly buckets?: readonly number[];
  /** Most distinct label sets kept; further ones fold into one overflow series. */
  readonly cardinalityLimit?: number;
}

/** One row of the catalogue. */
export interface MetricDefinition extends MetricShape {
  /** Which part of the product records it (for the docs). */
  readonly group: MetricGroup;
}

/** The part of the product a metric belongs to; groups the metric reference. */
export type MetricGroup =
  | 'http'
  | 'agent'
  | 'llm'
  | 'rate_limit'
  | 'circuit_breaker'
  | 'database'
  | 'redis'
  | 'business'
  | 'security'
  | 'app'
  | 'runtime'
  | 'self';

/**
 * Default number of label sets kept per metric, as in the OTel SDK. Histograms whose label values
 * come from outside the service's code (tables, Redis commands, remote hosts, models) set a
 * tighter `cardinalityLimit`: each of their series is ~15 exposition lines.
 */
export const DEFAULT_CARDINALITY_LIMIT = 2000;

/**
 * Attribute set that takes every recording past a metric's cardinality limit: the OTel SDK's own
 * (`otel.metric.overflow=true`), so OTLP receives what the SDK would send, and Prometheus reads
 * `otel_metric_overflow="true"`.
 */
export const OVERFLOW_ATTRIBUTES: Readonly<{ 'otel.metric.overflow': true }> = Object.freeze({
  'otel.metric.overflow': true,
});

// Each alert threshold of the spec is a bucket boundary, so `histogram_quantile` is exact there:
// p95 request > 2 s, p95 agent execution > 60 s, p95 DB query > 0.5 s.
const REQUEST_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] as const;
const AGENT_SECONDS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] as const;
const LLM_SECONDS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120] as const;
// Time to first token: interactive UIs care about the first second, reasoning models take longer.
const FIRST_TOKEN_SECONDS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30] as const;
const DB_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;
const REDIS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1] as const;
// Sizes are histograms, not summaries: OTel has no summary, and bucket counts add up across
// replicas where precomputed quantiles cannot.
const BODY_BYTES = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216] as const;

/**
 * Buckets of a histogram that brings none, by unit: the catalogue's request buckets for seconds,
 * its body-size buckets for bytes. OTel's own default (0 to 10,000) suits milliseconds only.
 */
export const DEFAULT_BUCKETS: Readonly<Record<string, readonly number[]>> = { s: REQUEST_SECONDS, By: BODY_BYTES };

// prom-client's default GC buckets, which Node.js dashboards are built on.
const GC_SECONDS = [0.001, 0.01, 0.1, 1, 2, 5] as const;

/** The catalogue. Keys are exact Prometheus metric names. */
export const CATALOGUE = {
  // --- HTTP server and client -------------------------------------------------------------
  http_requests_total: {
    group: 'http',
    kind: 'counter',
    unit: '{request}',
    help: 'HTTP requests served, by method, route template and status code.',
    labels: ['method', 'endpoint', 'status_code'],
  },
  http_request_duration_seconds: {
    group: 'http',
    kind: 'histogram',
    unit: 's',
    help: 'Time from the start of an HTTP request to the end of its response.',
    labels: ['method', 'endpoint', 'status_code'],
    buckets: REQUEST_SECONDS,
  },
  http_request_size_bytes: {
    group: 'http',
    kind: 'histogram',
    unit: 'By',
    help: 'HTTP request body size.',
    labels: ['method', 'endpoint'],
    buckets: BODY_BYTES,
  },
  http_response_size_bytes: {
    group: 'http',
    kind: 'histogram',
    unit: 'By',
    help: 'HTTP response body size.',
    labels: ['method', 'endpoint', 'status_code'],
    buckets: BODY_BYTES,
  },
  http_requests_in_flight: {
    group: 'http',
    kind: 'updowncounter',
    unit: '{request}',
    help: 'HTTP requests being served now.',
    labels: [],
  },
  http_client_request_duration_seconds: {
    group: 'http',
    kind: 'histogram',
    unit: 's',
    help: 'Duration of outgoing HTTP requests, by method, remote host and status code.',
    labels: ['method', 'host', 'status_code'],
    buckets: REQUEST_SECONDS,
    cardinalityLimit: 500,
  },

  // --- Agent executions ---------------------------------------------------------------------
  agent_executions_total: {
    group: 'agent',
    kind: 'counter',
    unit: '{execution}',
    help: 'Agent executions finished, by package, tier and status (success, error, timeout).',
    labels: ['package', 'tier', 'status'],
  },
  agent_execution_duration_seconds: {
    group: 'agent',
    kind: 'histogram',
    unit: 's',
    help: 'Agent execution duration.',
    labels: ['package', 'tier'],
    buckets: AGENT_SECONDS,
  },
  agent_tokens_used_total: {
    group: 'agent',
    kind: 'counter',
    unit: '{token}',
    help: 'LLM tokens used by agent executions, by package, tier and type (input, output, cache_read, cache_write, reasoning; each token counted in one type).',
    labels: ['package', 'tier', 'type'],
  },
  agent_cost_usd_total: {
    group: 'agent',
    kind: 'counter',
    unit: 'USD',
    help: 'Cost of agent executions in US dollars.',
    labels: ['package', 'tier'],
  },
  agent_executions_active: {
    group: 'agent',
    kind: 'updowncounter',
    unit: '{execution}',
    help: 'Agent executions running now.',
    labels: ['package', 'tier'],
  },

  // --- LLM provider calls -------------------------------------------------------------------
  llm_api_calls_total: {
    group: 'llm',
    kind: 'counter',
    unit: '{call}',
    help: 'LLM provider API calls, by provider, model and status (success, error, cancelled).',
    labels: ['provider', 'model', 'status'],
  },
  llm_api_duration_seconds: {
    group: 'llm',
    kind: 'histogram',
    unit: 's',
    help: 'LLM provider API call duration, until the last event of a streamed response.',
    labels: ['provider', 'model'],
    buckets: LLM_SECONDS,
    cardinalityLimit: 500,
  },
  llm_api_errors_total: {
    group: 'llm',
    kind: 'counter',
    unit: '{error}',
    help: 'LLM provider API calls that did not succeed, by provider and error type (rate_limit, auth, timeout, server_error, overloaded, connection, cancelled, other).',
    labels: ['provider', 'error_type'],
  },
  llm_tokens_used_total: {
    group: 'llm',
    kind: 'counter',
    unit: '{token}',
    help: 'Tokens reported by LLM provider responses, by provider, model and type (input, output, cache_read, cache_write, reasoning; each token counted in one type).',
    labels: ['provider', 'model', 'type'],
  },
  llm_cost_usd_total: {
    group: 'llm',
    kind: 'counter',
    unit: 'USD',
    help: 'Cost of LLM provider calls in US dollars, from the price table, by provider and model.',
    labels: ['provider', 'model'],
  },
  llm_time_to_first_token_seconds: {
    group: 'llm',
    kind: 'histogram',
    unit: 's',
    help: 'Time from the start of a streamed LLM call to its first generated token.',
    labels: ['provider', 'model'],
    buckets: FIRST_TOKEN_SECONDS,
    cardinalityLimit: 500,
  },
  llm_usage_unreported_total: {
    group: 'llm',
    kind: 'counter',
    unit: '{call}',
    help: 'LLM provider calls answered without a token usage report (a stream without usage, cut or abandoned before it), so their tokens are not counted.',
    labels: ['provider', 'model'],
  },
  llm_unpriced_tokens_total: {
    group: 'llm',
    kind: 'counter',
    unit: '{token}',
    help: 'Tokens of models missing from the price table, so not included in any cost metric.',
    labels: ['model'],
  },

  // --- Rate limits and circuit breakers -----------------------------------------------------
  rate_limit_hits_total: {
    group: 'rate_limit',
    kind: 'counter',
    unit: '{hit}',
    help: 'Requests rejected by a rate limit, by tier and limit type.',
    labels: ['tier', 'type'],
  },
  rate_limit_usage_ratio: {
    group: 'rate_limit',
    kind: 'gauge',
    unit: '1',
    help: 'Share of the rate limit in use (0 to 1), by tier and limit type.',
    labels: ['tier', 'type'],
  },
  circuit_breaker_state: {
    group: 'circuit_breaker',
    kind: 'gauge',
    unit: '1',
    help: 'Circuit breaker state: 0 closed, 1 half_open, 2 open.',
    labels: ['name'],
  },
  circuit_breaker_failures_total: {
    group: 'circuit_breaker',
    kind: 'counter',
    unit: '{call}',
    help: 'Calls through a circuit breaker that failed.',
    labels: ['name'],
  },
  circuit_breaker_successes_total: {
    group: 'circuit_breaker',
    kind: 'counter',
    unit: '{call}',
    help: 'Calls through a circuit breaker that succeeded.',
    labels: ['name'],
  },
  circuit_breaker_rejections_total: {
    group: 'circuit_breaker',
    kind: 'counter',
    unit: '{call}',
    help: 'Calls rejected because the circuit breaker was open.',
    labels: ['name'],
  },

  // --- Postgres -----------------------------------------------------------------------------
  db_query_duration_seconds: {
    group: 'database',
    kind: 'histogram',
    unit: 's',
    help: 'Database query duration, by statement verb and first target table.',
    labels: ['operation', 'table'],
    buckets: DB_SECONDS,
    cardinalityLimit: 500,
  },
  db_errors_total: {
    group: 'database',
    kind: 'counter',
    unit: '{error}',
    help: 'Database errors, by statement verb and error type (SQLSTATE name or connection failure).',
    labels: ['operation', 'error_type'],
  },
  db_connections_active: {
    group: 'database',
    kind: 'observable_gauge',
    unit: '{connection}',
    help: 'Database connections checked out of the pool.',
    labels: [],
  },
  db_connections_idle: {
    group: 'database',
    kind: 'observable_gauge',
    unit: '{connection}',
    help: 'Database connections idle in the pool.',
    labels: [],
  },
  db_connections_waiting: {
    group: 'database',
    kind: 'observable_gauge',
    unit: '{request}',
    help: 'Requests waiting for a database connection from the pool.',
    labels: [],
  },
  db_connections_max: {
    group: 'database',
    kind: 'observable_gauge',
    unit: '{connection}',
    help: 'Largest number of connections the pool may open.',
    labels: [],
  },

  // --- Redis --------------------------------------------------------------------------------
  redis_operations_total: {
    group: 'redis',
    kind: 'counter',
    unit: '{operation}',
    help: 'Redis commands, by command name and status (success, error).',
    labels: ['operation', 'status'],
    cardinalityLimit: 400,
  },
  redis_operation_duration_seconds: {
    group: 'redis',
    kind: 'histogram',
    unit: 's',
    help: 'Redis command duration, by command name.',
    labels: ['operation'],
    buckets: REDIS_SECONDS,
    cardinalityLimit: 200,
  },

  // --- Business -----------------------------------------------------------------------------
  customer_signups_total: {
    group: 'business',
    kind: 'counter',
    unit: '{signup}',
    help: 'Customer signups, by tier.',
    labels: ['tier'],
  },
  revenue_usd_total: {
    group: 'business',
    kind: 'counter',
    unit: 'USD',
    help: 'Revenue in US dollars, by tier and source.',
    labels: ['tier', 'source'],
  },
  customers_active: {
    group: 'business',
    kind: 'gauge',
    unit: '{customer}',
    help: 'Active customers, by tier.',
    labels: ['tier'],
  },

  // --- Security -----------------------------------------------------------------------------
  auth_failures_total: {
    group: 'security',
    kind: 'counter',
    unit: '{failure}',
    help: 'Failed authentication attempts, by reason.',
    labels: ['reason'],
  },

  // --- Application --------------------------------------------------------------------------
  app_info: {
    group: 'app',
    kind: 'gauge',
    unit: '1',
    help: 'Application information; the value is always 1.',
    labels: ['version', 'environment', 'service', 'node_version'],
  },
  app_uptime_seconds: {
    group: 'app',
    kind: 'observable_gauge',
    unit: 's',
    help: 'Seconds since the application started.',
    labels: [],
  },

  // --- Node runtime and process (with `runtimeMetrics` on) ---------------------------------
  // Named, typed, labelled and bucketed as prom-client's collectDefaultMetrics(), so that existing
  // Node.js dashboards (Grafana 11159 and the like) work unchanged. prom-client's `_total` gauges
  // are kept as they are, though `promtool check metrics` lints their suffix.
  process_cpu_user_seconds_total: {
    group: 'runtime',
    kind: 'observable_counter',
    unit: 's',
    help: 'User CPU time spent by the process.',
    labels: [],
  },
  process_cpu_system_seconds_total: {
    group: 'runtime',
    kind: 'observable_counter',
    unit: 's',
    help: 'System CPU time spent by the process.',
    labels: [],
  },
  process_cpu_seconds_total: {
    group: 'runtime',
    kind: 'observable_counter',
    unit: 's',
    help: 'User and system CPU time spent by the process.',
    labels: [],
  },
  process_start_time_seconds: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 's',
    help: 'Start time of the process since the Unix epoch.',
    labels: [],
  },
  process_resident_memory_bytes: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 'By',
    help: 'Resident memory size of the process (RSS).',
    labels: [],
  },
  process_virtual_memory_bytes: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 'By',
    help: 'Virtual memory size of the process (Linux only).',
    labels: [],
  },
  process_heap_bytes: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 'By',
    help: 'Data segment size of the process, its heap (Linux only).',
    labels: [],
  },
  process_open_fds: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: '{file_descriptor}',
    help: 'Open file descriptors of the process (Linux only).',
    labels: [],
  },
  process_max_fds: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: '{file_descriptor}',
    help: 'Most file descriptors the process may open (Linux only).',
    labels: [],
  },
  nodejs_eventloop_lag_seconds: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 's',
    help: 'Event-loop lag: how late a callback scheduled at the previous collection ran.',
    labels: [],
  },
  nodejs_eventloop_lag_min_seconds: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 's',
    help: 'Smallest event-loop delay since the previous collection.',
    labels: [],
  },
  nodejs_eventloop_lag_max_seconds: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 's',
    help: 'Largest event-loop delay since the previous collection.',
    labels: [],
  },
  nodejs_eventloop_lag_mean_seconds: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 's',
    help: 'Mean event-loop delay since the previous collection.',
    labels: [],
  },
  nodejs_eventloop_lag_stddev_seconds: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 's',
    help: 'Standard deviation of the event-loop delay since the previous collection.',
    labels: [],
  },
  nodejs_eventloop_lag_p50_seconds: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 's',
    help: 'Median event-loop delay since the previous collection.',
    labels: [],
  },
  nodejs_eventloop_lag_p90_seconds: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 's',
    help: '90th percentile of the event-loop delay since the previous collection.',
    labels: [],
  },
  nodejs_eventloop_lag_p99_seconds: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 's',
    help: '99th percentile of the event-loop delay since the previous collection.',
    labels: [],
  },
  nodejs_active_resources: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: '{resource}',
    help: 'Resources keeping the event loop alive, by type (process.getActiveResourcesInfo()).',
    labels: ['type'],
  },
  nodejs_active_resources_total: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: '{resource}',
    help: 'Resources keeping the event loop alive.',
    labels: [],
  },
  nodejs_active_handles: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: '{handle}',
    help: 'Active libuv handles, by handle class.',
    labels: ['type'],
  },
  nodejs_active_handles_total: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: '{handle}',
    help: 'Active libuv handles.',
    labels: [],
  },
  nodejs_active_requests: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: '{request}',
    help: 'Active libuv requests, by request class.',
    labels: ['type'],
  },
  nodejs_active_requests_total: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: '{request}',
    help: 'Active libuv requests.',
    labels: [],
  },
  nodejs_heap_size_total_bytes: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 'By',
    help: 'V8 heap size, all spaces together.',
    labels: [],
  },
  nodejs_heap_size_used_bytes: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 'By',
    help: 'V8 heap used, all spaces together.',
    labels: [],
  },
  nodejs_external_memory_bytes: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 'By',
    help: 'Memory of C++ objects bound to JavaScript objects managed by V8.',
    labels: [],
  },
  nodejs_heap_space_size_total_bytes: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 'By',
    help: 'V8 heap space size, by space.',
    labels: ['space'],
  },
  nodejs_heap_space_size_used_bytes: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 'By',
    help: 'V8 heap space used, by space.',
    labels: ['space'],
  },
  nodejs_heap_space_size_available_bytes: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: 'By',
    help: 'V8 heap space available, by space.',
    labels: ['space'],
  },
  nodejs_version_info: {
    group: 'runtime',
    kind: 'observable_gauge',
    unit: '1',
    help: 'Node.js version; the value is always 1.',
    labels: ['version', 'major', 'minor', 'patch'],
  },
  nodejs_gc_duration_seconds: {
    group: 'runtime',
    kind: 'histogram',
    unit: 's',
    help: 'Garbage collection duration, by kind (major, minor, incremental, weakcb).',
    labels: ['kind'],
    buckets: GC_SECONDS,
  },

  // --- agent-telemetry itself ---------------------------------------------------------------
  agent_telemetry_recordings_dropped_total: {
    group: 'self',
    kind: 'counter',
    unit: '{recording}',
    help: 'Recordings dropped, by metric and reason: negative_value (below 0 where only counts are accepted), non_finite_value (NaN, infinity, not a number), sum_overflow (the sum would become infinite), invalid_label (a label value that cannot be read as text).',
    labels: ['metric', 'reason'],
  },
  agent_telemetry_cardinality_overflow_total: {
    group: 'self',
    kind: 'counter',
    unit: '{recording}',
    help: 'Recordings (and labels() bindings) of label sets past the metric\'s cardinality limit, folded into its otel_metric_overflow="true" series.',
    labels: ['metric'],
  },
  agent_telemetry_export_failures_total: {
    group: 'self',
    kind: 'counter',
    unit: '{export}',
    help: 'Metric exports that failed or passed their deadline, by exporter.',
    labels: ['exporter'],
  },
  agent_telemetry_collection_errors_total: {
    group: 'self',
    kind: 'counter',
    unit: '{error}',
    help: 'Metric callbacks that threw or rejected (callback_error) or did not finish within the collection deadline (timeout).',
    labels: ['reason'],
  },
  agent_telemetry_exposition_truncated_total: {
    group: 'self',
    kind: 'counter',
    unit: '{scrape}',
    help: 'Scrapes whose exposition reached its size ceiling (prometheus.maxExpositionBytes); the series past it were left out.',
    labels: [],
  },
  agent_telemetry_metrics_requests_rejected_total: {
    group: 'self',
    kind: 'counter',
    unit: '{request}',
    help: 'Requests to the metrics endpoint answered without the exposition, by reason (unauthorized, method_not_allowed, not_found, connection_limit).',
    labels: ['reason'],
  },
} as const satisfies Record<string, MetricDefinition>;

/** The catalogue's type: each metric name with its literal definition. */
export type Catalogue = typeof CATALOGUE;
/** Every metric name in the catalogue. */
export type MetricName = keyof Catalogue;
/**
 * What instrument types are keyed by: a catalogue metric's name, or the definition of a metric of
 * the service's own (a row of its `defineMetrics()` table).
 */
export type MetricRef = MetricName | { readonly kind: MetricKind; readonly labels: readonly string[] };
/** The definition a {@link MetricRef} stands for. */
export type DefinitionOf<R extends MetricRef> = R extends MetricName ? Catalogue[R] : R;
/** The label names of one metric, as a union of string literals. */
export type LabelName<R extends MetricRef> = DefinitionOf<R>['labels'][number];
/**
 * The label set of one metric: every label required, no other allowed.
 * Numbers are accepted where a label holds a number (`status_code: 200`).
 */
export type Labels<R extends MetricRef> = [LabelName<R>] extends [never]
  ? // A metric without labels takes `{}` only: an object type with no keys would accept any.
    Readonly<Record<string, never>>
  : { readonly [K in LabelName<R>]: string | number };

/** Cardinality limits by metric name, overriding the catalogue's (`cardinalityLimit`, else 2000). */
export type CardinalityLimits = { readonly [N in MetricName]?: number };

/** Names of the metrics of one kind. */
export type MetricNameOfKind<K extends MetricKind> = {
  [N in MetricName]: Catalogue[N]['kind'] extends K ? N : never;
}[MetricName];

/** The catalogue rows as a list, in table order. */
export function catalogueEntries(): Array<[MetricName, MetricDefinition]> {
  return Object.entries(CATALOGUE) as Array<[MetricName, MetricDefinition]>;
}
