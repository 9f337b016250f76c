'use strict';
// What the benchmarks share: timing, alternating rounds, medians, the three set-ups being compared
// (agent-telemetry, raw OTel sdk-metrics, prom-client) and the table printed at the end.
//
// Every contender runs in this one process, and rounds alternate between them, so a neighbour
// stealing CPU slows all of them alike; the medians of the rounds are what is reported.

const { createTelemetry, defineMetrics, MetricRegistry, CATALOGUE, catalogueViews } = require('@agent-telemetry/core');
const { MeterProvider, PeriodicExportingMetricReader, AggregationTemporality } = require('@opentelemetry/sdk-metrics');
const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');
const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-http');
const promClient = require('prom-client');

/**
 * Both readers on, as in production. OTLP points at a port nothing listens on, with an interval
 * far longer than a bench run, so no export ever runs and it costs only what a second reader costs.
 * The short timeout bounds the one failing flush at shutdown (the exporter retries until then).
 */
const UNUSED_OTLP_ENDPOINT = 'http://127.0.0.1:9/v1/metrics';
const NEVER_MILLIS = 3_600_000;
const OTLP_TIMEOUT_MILLIS = 500;

const COUNTER = 'http_requests_total';
const HISTOGRAM = 'http_request_duration_seconds';

/**
 * A service's own metrics shaped as the two catalogue metrics (same labels, the same seconds
 * buckets by unit), recorded through the same telemetry: what `initTelemetry({ metrics })` gives.
 */
const OWN_COUNTER = 'checkout_requests_total';
const OWN_HISTOGRAM = 'checkout_request_duration_seconds';
const OWN_LABELS = ['method', 'endpoint', 'status_code'];

/** agent-telemetry as a service runs it: Prometheus and OTLP both on, with metrics of its own. */
function createOurs(cardinalityLimit = 2000) {
  const cardinalityLimits = { [COUNTER]: cardinalityLimit, [HISTOGRAM]: cardinalityLimit };
  return createTelemetry(
    {
      metrics: defineMetrics({
        [OWN_COUNTER]: { kind: 'counter', help: 'Checkout requests.', labels: OWN_LABELS, cardinalityLimit },
        [OWN_HISTOGRAM]: { kind: 'histogram', unit: 's', help: 'Checkout time.', labels: OWN_LABELS, cardinalityLimit },
      }),
      exporter: 'both',
      prometheus: { server: false },
      otlp: { endpoint: UNUSED_OTLP_ENDPOINT, intervalMillis: NEVER_MILLIS, timeoutMillis: OTLP_TIMEOUT_MILLIS },
      runtimeMetrics: false,
    },
    { registry: new MetricRegistry({ cardinalityLimits }), env: {} },
  );
}

/** Raw OTel: the same catalogue Views, a Prometheus exporter and an OTLP reader. */
function createRawOtel(cardinalityLimit = 2000) {
  const cardinalityLimits = { [COUNTER]: cardinalityLimit, [HISTOGRAM]: cardinalityLimit };
  const prometheus = new PrometheusExporter({
    preventServerStart: true,
    withoutScopeInfo: true,
    withoutTargetInfo: true,
  });
  const otlp = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({
      url: UNUSED_OTLP_ENDPOINT,
      temporalityPreference: AggregationTemporality.CUMULATIVE,
      timeoutMillis: OTLP_TIMEOUT_MILLIS,
    }),
    exportIntervalMillis: NEVER_MILLIS,
  });
  const provider = new MeterProvider({ views: catalogueViews({ cardinalityLimits }), readers: [prometheus, otlp] });
  const meter = provider.getMeter('bench');
  const def = (name) => CATALOGUE[name];
  return {
    provider,
    prometheus,
    counter: meter.createCounter(COUNTER, { description: def(COUNTER).help, unit: def(COUNTER).unit }),
    histogram: meter.createHistogram(HISTOGRAM, { description: def(HISTOGRAM).help, unit: def(HISTOGRAM).unit }),
  };
}

/** prom-client with its own registry and the catalogue's names, labels and buckets. */
function createPromClient() {
  const register = new promClient.Registry();
  const def = (name) => CATALOGUE[name];
  return {
    register,
    counter: new promClient.Counter({
      name: COUNTER,
      help: def(COUNTER).help,
      labelNames: def(COUNTER).labels,
      registers: [register],
    }),
    histogram: new promClient.Histogram({
      name: HISTOGRAM,
      help: def(HISTOGRAM).help,
      labelNames: def(HISTOGRAM).labels,
      buckets: [...def(HISTOGRAM).buckets],
      registers: [register],
    }),
  };
}

/** `count` distinct label sets of the two metrics (method, endpoint, status_code). */
function labelSets(count) {
  const methods = ['GET', 'POST', 'PUT', 'DELETE'];
  const statuses = [200, 201, 404, 500];
  const sets = [];
  for (let i = 0; i < count; i++) {
    sets.push({
      method: methods[i % 4],
      endpoint: `/api/v1/packages/${i >> 2}/runs`,
      status_code: statuses[(i >> 1) % 4],
    });
  }
  return sets;
}

/** Durations spread over the histogram's buckets, so the bucket search is not always short. */
function durations(count) {
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = Math.exp(Math.random() * 9 - 7); // ~1 ms .. ~7 s
  return values;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nanoseconds per operation of `loop(n)`, which performs n operations. */
function timeLoop(loop, n) {
  const start = process.hrtime.bigint();
  loop(n);
  return Number(process.hrtime.bigint() - start) / n;
}

/** How many operations of `loop` take about `targetMillis`. */
function calibrate(loop, targetMillis) {
  let n = 1000;
  for (;;) {
    const ns = timeLoop(loop, n);
    if (ns * n >= 20e6 || n >= 1e9) return Math.max(1000, Math.round((targetMillis * 1e6) / ns));
    n *= 4;
  }
}

/**
 * Runs every case `rounds` times, rotating their order each round, and returns the median
 * ns/op of each. `cases` maps a name to a loop function performing n operations.
 * @param {Record<string, (n: number) => void>} cases
 * @returns {Record<string, number>}
 */
function compareLoops(cases, { rounds = 9, targetMillis = 60 } = {}) {
  const names = Object.keys(cases);
  const sizes = {};
  for (const name of names) {
    cases[name](10_000); // let the JIT see it before calibrating
    sizes[name] = calibrate(cases[name], targetMillis);
  }
  const samples = Object.fromEntries(names.map((name) => [name, /** @type {number[]} */ ([])]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      samples[name].push(timeLoop(cases[name], sizes[name]));
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(samples[name])]));
}

/**
 * As {@link compareLoops}, for async operations timed one at a time (scrapes), in ms.
 * @param {Record<string, () => Promise<unknown>>} cases
 * @returns {Promise<Record<string, number>>}
 */
async function compareAsync(cases, { rounds = 7, warmup = 2 } = {}) {
  const names = Object.keys(cases);
  for (const name of names) for (let i = 0; i < warmup; i++) await cases[name]();
  const samples = Object.fromEntries(names.map((name) => [name, /** @type {number[]} */ ([])]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const start = process.hrtime.bigint();
      await cases[name]();
      samples[name].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(samples[name])]));
}

/** Prints rows as an aligned text table; the first row is the header. */
function printTable(rows) {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => String(row[col]).length)));
  const line = (row) =>
    row
      .map((cell, col) => (col === 0 ? String(cell).padEnd(widths[col]) : String(cell).padStart(widths[col])))
      .join('  ');
  process.stdout.write(`${line(rows[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of rows.slice(1)) process.stdout.write(`${line(row)}\n`);
}

function fixed(value, digits = 1) {
  return value.toFixed(digits);
}

function ratio(value, reference) {
  return `${(value / reference).toFixed(3)}x`;
}

module.exports = {
  COUNTER,
  HISTOGRAM,
  OWN_COUNTER,
  OWN_HISTOGRAM,
  createOurs,
  createRawOtel,
  createPromClient,
  labelSets,
  durations,
  compareLoops,
  compareAsync,
  printTable,
  fixed,
  ratio,
};
