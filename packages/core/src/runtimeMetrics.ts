import { readdirSync, readFileSync } from 'node:fs';
import {
  constants,
  monitorEventLoopDelay,
  PerformanceObserver,
  type IntervalHistogram,
  type PerformanceEntry,
} from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import type { CatalogueMetrics } from './MetricRegistry';

/*
 * Node runtime and process metrics as prom-client's collectDefaultMetrics() reports them (names,
 * types, labels, buckets), so that Node.js dashboards built on prom-client work unchanged. They
 * are catalogue metrics (group `runtime`), recorded by callbacks read at collection time.
 */

type Stop = () => void;
type NoLabels = Readonly<Record<string, never>>;

/** Starts the runtime and process metrics; returns a function that stops them. */
export function startRuntimeMetrics(metrics: CatalogueMetrics): Stop {
  const stops = [
    ...processMetrics(metrics),
    ...eventLoopMetrics(metrics),
    ...activeResourceMetrics(metrics),
    ...heapMetrics(metrics),
    ...gcMetrics(metrics),
    metrics.nodejs_version_info.addCallback((observe) => observe(versionLabels(process.version), 1)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}

function processMetrics(metrics: CatalogueMetrics): Stop[] {
  const startTimeSeconds = Math.round(Date.now() / 1000 - process.uptime());
  return [
    metrics.process_cpu_user_seconds_total.addCallback((observe) => observe({}, process.cpuUsage().user / 1e6)),
    metrics.process_cpu_system_seconds_total.addCallback((observe) => observe({}, process.cpuUsage().system / 1e6)),
    metrics.process_cpu_seconds_total.addCallback((observe) => {
      const { user, system } = process.cpuUsage();
      observe({}, (user + system) / 1e6);
    }),
    metrics.process_start_time_seconds.addCallback((observe) => observe({}, startTimeSeconds)),
    metrics.process_resident_memory_bytes.addCallback((observe) => observe({}, process.memoryUsage.rss())),
    ...(process.platform === 'linux' ? linuxProcessMetrics(metrics) : []),
  ];
}

/** What only Linux's /proc tells; left out where it cannot be read, as prom-client does. */
function linuxProcessMetrics(metrics: CatalogueMetrics): Stop[] {
  const stops: Stop[] = [];
  if (readProc('status') === undefined) return stops;
  // /proc is no disk I/O: its files are kernel data, read without blocking.
  const statusBytes = (field: string) => (observe: (labels: NoLabels, value: number) => void) => {
    const kib = new RegExp(`^${field}:\\s*(\\d+) kB$`, 'm').exec(readProc('status') ?? '')?.[1];
    if (kib !== undefined) observe({}, Number(kib) * 1024);
  };
  stops.push(
    metrics.process_virtual_memory_bytes.addCallback(statusBytes('VmSize')),
    metrics.process_heap_bytes.addCallback(statusBytes('VmData')),
    // The directory's own descriptor, open while it is read, is not counted.
    metrics.process_open_fds.addCallback((observe) => observe({}, readdirSync('/proc/self/fd').length - 1)),
  );
  const maxFds = /^Max open files\s+(\d+)/m.exec(readProc('limits') ?? '')?.[1];
  if (maxFds !== undefined) stops.push(metrics.process_max_fds.addCallback((observe) => observe({}, Number(maxFds))));
  return stops;
}

function readProc(file: string): string | undefined {
  try {
    return readFileSync(`/proc/self/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** The seven statistics of the event-loop delay, each read by the gauge of the same name. */
const DELAY_STATISTICS = {
  nodejs_eventloop_lag_min_seconds: (delay: IntervalHistogram) => delay.min,
  nodejs_eventloop_lag_max_seconds: (delay: IntervalHistogram) => delay.max,
  nodejs_eventloop_lag_mean_seconds: (delay: IntervalHistogram) => delay.mean,
  nodejs_eventloop_lag_stddev_seconds: (delay: IntervalHistogram) => delay.stddev,
  nodejs_eventloop_lag_p50_seconds: (delay: IntervalHistogram) => delay.percentile(50),
  nodejs_eventloop_lag_p90_seconds: (delay: IntervalHistogram) => delay.percentile(90),
  nodejs_eventloop_lag_p99_seconds: (delay: IntervalHistogram) => delay.percentile(99),
} as const;

/**
 * prom-client's event-loop metrics: the delay statistics since the previous collection (from
 * `monitorEventLoopDelay`, 10 ms resolution, reset at each collection), and the lag of a callback
 * scheduled at the previous collection.
 */
function eventLoopMetrics(metrics: CatalogueMetrics): Stop[] {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const names = Object.keys(DELAY_STATISTICS) as Array<keyof typeof DELAY_STATISTICS>;
  // One snapshot serves one read by each of the seven gauges: the first read of a collection
  // takes it and resets the monitor, whatever order the gauges are collected in.
  let snapshot: Map<string, number> | undefined;
  let unread = 0;
  const statistic = (name: keyof typeof DELAY_STATISTICS): number | undefined => {
    if (unread === 0) {
      // No sample yet: no value (min would read 2^63 ns, mean NaN).
      snapshot =
        delay.count === 0 ? undefined : new Map(names.map((each) => [each, DELAY_STATISTICS[each](delay) / 1e9]));
      delay.reset();
      unread = names.length;
    }
    unread--;
    return snapshot?.get(name);
  };
  let lagSeconds = 0;
  const measureLag = (): void => {
    const start = process.hrtime.bigint();
    setImmediate(() => (lagSeconds = Number(process.hrtime.bigint() - start) / 1e9)).unref();
  };
  return [
    metrics.nodejs_eventloop_lag_seconds.addCallback((observe) => {
      observe({}, lagSeconds);
      measureLag();
    }),
    ...names.map((name) =>
      metrics[name].addCallback((observe) => {
        const value = statistic(name);
        if (value !== undefined) observe({}, value);
      }),
    ),
    () => delay.disable(),
  ];
}

function activeResourceMetrics(metrics: CatalogueMetrics): Stop[] {
  // Undocumented, as prom-client reads them: the libuv handles and requests alive now.
  const internals = process as unknown as { _getActiveHandles(): object[]; _getActiveRequests(): object[] };
  const byType = (types: readonly string[]) => (observe: (labels: { type: string }, value: number) => void) => {
    const counts = new Map<string, number>();
    for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
    for (const [type, count] of counts) observe({ type }, count);
  };
  const classNames = (objects: readonly object[]) => objects.map((object) => object.constructor?.name ?? 'Object');
  return [
    metrics.nodejs_active_resources.addCallback((observe) => byType(process.getActiveResourcesInfo())(observe)),
    metrics.nodejs_active_resources_total.addCallback((observe) =>
      observe({}, process.getActiveResourcesInfo().length),
    ),
    metrics.nodejs_active_handles.addCallback((observe) => byType(classNames(internals._getActiveHandles()))(observe)),
    metrics.nodejs_active_handles_total.addCallback((observe) => observe({}, internals._getActiveHandles().length)),
    metrics.nodejs_active_requests.addCallback((observe) =>
      byType(classNames(internals._getActiveRequests()))(observe),
    ),
    metrics.nodejs_active_requests_total.addCallback((observe) => observe({}, internals._getActiveRequests().length)),
  ];
}

function heapMetrics(metrics: CatalogueMetrics): Stop[] {
  // prom-client's space names: V8's without the `_space` suffix (`new`, `old`, `code`, ...).
  const spaces =
    (read: (space: ReturnType<typeof getHeapSpaceStatistics>[number]) => number) =>
    (observe: (labels: { space: string }, value: number) => void) => {
      for (const space of getHeapSpaceStatistics())
        observe({ space: space.space_name.replace(/_space$/, '') }, read(space));
    };
  return [
    // V8's heap statistics are cheap; process.memoryUsage() would also read RSS from the OS.
    metrics.nodejs_heap_size_total_bytes.addCallback((observe) => observe({}, getHeapStatistics().total_heap_size)),
    metrics.nodejs_heap_size_used_bytes.addCallback((observe) => observe({}, getHeapStatistics().used_heap_size)),
    metrics.nodejs_external_memory_bytes.addCallback((observe) => observe({}, getHeapStatistics().external_memory)),
    metrics.nodejs_heap_space_size_total_bytes.addCallback(spaces((space) => space.space_size)),
    metrics.nodejs_heap_space_size_used_bytes.addCallback(spaces((space) => space.space_used_size)),
    metrics.nodejs_heap_space_size_available_bytes.addCallback(spaces((space) => space.space_available_size)),
  ];
}

const GC_KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

function gcMetrics(metrics: CatalogueMetrics): Stop[] {
  const histogram = metrics.nodejs_gc_duration_seconds;
  // Bound on first use: a kind of collection that never ran has no series, as in prom-client.
  const byKind = new Map<number, ReturnType<typeof histogram.labels>>();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      const name = kind === undefined ? undefined : GC_KINDS[kind];
      if (name === undefined) continue;
      let bound = byKind.get(kind!);
      if (bound === undefined) byKind.set(kind!, (bound = histogram.labels({ kind: name })));
      bound.observe(entry.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return [() => observer.disconnect()];
}

/** `nodejs_version_info`'s labels, as prom-client writes them: `v22.15.0`, `22`, `15`, `0`. */
export function versionLabels(version: string): { version: string; major: string; minor: string; patch: string } {
  const [major = '', minor = '', patch = ''] = version.replace(/^v/, '').split(/[.-]/);
  return { version, major, minor, patch };
}
