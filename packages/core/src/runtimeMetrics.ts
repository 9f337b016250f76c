import type { MeterProvider } from '@opentelemetry/api';
import type { CatalogueMetrics } from './MetricRegistry';
import { HostMetricsInstrumentation } from '@opentelemetry/instrumentation-host-metrics';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { getHeapStatistics } from 'node:v8';

/** One runtime or process metric: the OTel instrument it comes from and its exposed name. */
export interface RuntimeMetric {
  /** Instrument name in `@opentelemetry/instrumentation-runtime-node` or `@opentelemetry/instrumentation-host-metrics`. */
  readonly source: string;
  /** Prometheus name; prom-client's default-metric name where one exists. */
  readonly name: string;
  readonly help: string;
}

/**
 * Node runtime and process metrics, renamed by Views so that existing Node.js dashboards (which
 * read prom-client's default metrics) work. Sources' attributes keep their names, with dots as
 * underscores (`v8js_heap_space_name`, `cpu_mode`).
 */
export const RUNTIME_METRICS: readonly RuntimeMetric[] = [
  {
    source: 'nodejs.eventloop.delay.min',
    name: 'nodejs_eventloop_lag_min_seconds',
    help: 'Smallest event-loop delay observed.',
  },
  {
    source: 'nodejs.eventloop.delay.max',
    name: 'nodejs_eventloop_lag_max_seconds',
    help: 'Largest event-loop delay observed.',
  },
  { source: 'nodejs.eventloop.delay.mean', name: 'nodejs_eventloop_lag_seconds', help: 'Mean event-loop delay.' },
  {
    source: 'nodejs.eventloop.delay.stddev',
    name: 'nodejs_eventloop_lag_stddev_seconds',
    help: 'Standard deviation of the event-loop delay.',
  },
  { source: 'nodejs.eventloop.delay.p50', name: 'nodejs_eventloop_lag_p50_seconds', help: 'Median event-loop delay.' },
  {
    source: 'nodejs.eventloop.delay.p90',
    name: 'nodejs_eventloop_lag_p90_seconds',
    help: '90th percentile of the event-loop delay.',
  },
  {
    source: 'nodejs.eventloop.delay.p99',
    name: 'nodejs_eventloop_lag_p99_seconds',
    help: '99th percentile of the event-loop delay.',
  },
  {
    source: 'nodejs.eventloop.utilization',
    name: 'nodejs_eventloop_utilization_ratio',
    help: 'Share of time the event loop was busy (0 to 1).',
  },
  {
    source: 'nodejs.eventloop.time',
    name: 'nodejs_eventloop_time_seconds_total',
    help: 'Time the event loop spent active and idle, by state.',
  },
  { source: 'v8js.gc.duration', name: 'nodejs_gc_duration_seconds', help: 'Garbage collection duration, by GC type.' },
  {
    source: 'v8js.resource.active',
    name: 'nodejs_active_resources',
    help: 'Active libuv resources keeping the event loop alive, by type.',
  },
  {
    source: 'v8js.memory.heap.space.size',
    name: 'nodejs_heap_space_size_total_bytes',
    help: 'V8 heap space size, by space.',
  },
  { source: 'v8js.memory.heap.used', name: 'nodejs_heap_space_size_used_bytes', help: 'V8 heap space used, by space.' },
  {
    source: 'v8js.memory.heap.space.available_size',
    name: 'nodejs_heap_space_size_available_bytes',
    help: 'V8 heap space available, by space.',
  },
  {
    source: 'v8js.memory.heap.space.physical_size',
    name: 'nodejs_heap_space_physical_size_bytes',
    help: 'V8 heap space committed physical memory, by space.',
  },
  { source: 'process.cpu.time', name: 'process_cpu_seconds_total', help: 'Process CPU time, by state (user, system).' },
  {
    source: 'process.cpu.utilization',
    name: 'process_cpu_utilization_ratio',
    help: 'Process CPU use as a share of all CPUs, by state.',
  },
  { source: 'process.memory.usage', name: 'process_resident_memory_bytes', help: 'Process resident memory (RSS).' },
];

/**
 * Starts the runtime and host metric collectors on `meterProvider`, and the catalogue's heap
 * totals and process start time (which neither library reports) on `metrics`; returns a stop
 * function.
 */
export function startRuntimeMetrics(meterProvider: MeterProvider, metrics: CatalogueMetrics): () => void {
  const startTimeSeconds = Math.round(Date.now() / 1000 - process.uptime());
  const removers = [
    metrics.process_start_time_seconds.addCallback((observe) => observe({}, startTimeSeconds)),
    // V8's heap statistics are cheap; process.memoryUsage() would also read RSS from the OS.
    metrics.nodejs_heap_size_total_bytes.addCallback((observe) => observe({}, getHeapStatistics().total_heap_size)),
    metrics.nodejs_heap_size_used_bytes.addCallback((observe) => observe({}, getHeapStatistics().used_heap_size)),
    metrics.nodejs_external_memory_bytes.addCallback((observe) => observe({}, getHeapStatistics().external_memory)),
  ];
  const runtime = new RuntimeNodeInstrumentation({ enabled: false });
  runtime.setMeterProvider(meterProvider);
  runtime.enable();
  // Host-wide system.* metrics are node-exporter's job; a service reports its own process.
  const host = new HostMetricsInstrumentation({ enabled: false, metricGroups: ['process.cpu', 'process.memory'] });
  host.setMeterProvider(meterProvider);
  host.enable();
  return () => {
    runtime.disable();
    host.disable();
    for (const remove of removers) remove();
  };
}
