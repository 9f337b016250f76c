'use strict';
// Recording cost: a counter inc and a histogram observe with 3 labels, bound and unbound, through
// agent-telemetry (a catalogue metric, and one of the service's own table), raw OTel sdk-metrics
// (catalogue Views, Prometheus + OTLP readers) and prom-client, side by side in one process.
// Prints ns/op and the ratios to prom-client.

const {
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
  printTable,
  fixed,
  ratio,
} = require('./lib/common');

// 64 label sets cycled through, so lookups are not all of one hot key.
const SETS = 64;
const MASK = SETS - 1;
const VALUES = 4096;
const VALUE_MASK = VALUES - 1;

async function main() {
  const ours = createOurs();
  const otel = createRawOtel();
  const prom = createPromClient();
  const sets = labelSets(SETS);
  const values = durations(VALUES);

  const ourCounter = ours.metrics[COUNTER];
  const ourHistogram = ours.metrics[HISTOGRAM];
  const ourBoundCounters = sets.map((labels) => ourCounter.labels(labels));
  const ourBoundHistograms = sets.map((labels) => ourHistogram.labels(labels));
  const ownCounter = ours.metrics[OWN_COUNTER];
  const ownHistogram = ours.metrics[OWN_HISTOGRAM];
  const ownBoundCounters = sets.map((labels) => ownCounter.labels(labels));
  const ownBoundHistograms = sets.map((labels) => ownHistogram.labels(labels));
  const promBoundCounters = sets.map((labels) => prom.counter.labels(labels));
  const promBoundHistograms = sets.map((labels) => prom.histogram.labels(labels));

  // One loop function per case, so that each gets its own optimized code.
  // OTel has no bound instruments: its "bound" case reuses one attribute object per label set.
  const counterBound = compareLoops({
    ours: (n) => {
      for (let i = 0; i < n; i++) ourBoundCounters[i & MASK].inc();
    },
    own: (n) => {
      for (let i = 0; i < n; i++) ownBoundCounters[i & MASK].inc();
    },
    otel: (n) => {
      for (let i = 0; i < n; i++) otel.counter.add(1, sets[i & MASK]);
    },
    prom: (n) => {
      for (let i = 0; i < n; i++) promBoundCounters[i & MASK].inc();
    },
  });
  const counterUnbound = compareLoops({
    ours: (n) => {
      for (let i = 0; i < n; i++) {
        const s = sets[i & MASK];
        ourCounter.inc({ method: s.method, endpoint: s.endpoint, status_code: s.status_code });
      }
    },
    own: (n) => {
      for (let i = 0; i < n; i++) {
        const s = sets[i & MASK];
        ownCounter.inc({ method: s.method, endpoint: s.endpoint, status_code: s.status_code });
      }
    },
    otel: (n) => {
      for (let i = 0; i < n; i++) {
        const s = sets[i & MASK];
        otel.counter.add(1, { method: s.method, endpoint: s.endpoint, status_code: s.status_code });
      }
    },
    prom: (n) => {
      for (let i = 0; i < n; i++) {
        const s = sets[i & MASK];
        prom.counter.inc({ method: s.method, endpoint: s.endpoint, status_code: s.status_code });
      }
    },
  });
  const histogramBound = compareLoops({
    ours: (n) => {
      for (let i = 0; i < n; i++) ourBoundHistograms[i & MASK].observe(values[i & VALUE_MASK]);
    },
    own: (n) => {
      for (let i = 0; i < n; i++) ownBoundHistograms[i & MASK].observe(values[i & VALUE_MASK]);
    },
    otel: (n) => {
      for (let i = 0; i < n; i++) otel.histogram.record(values[i & VALUE_MASK], sets[i & MASK]);
    },
    prom: (n) => {
      for (let i = 0; i < n; i++) promBoundHistograms[i & MASK].observe(values[i & VALUE_MASK]);
    },
  });
  const histogramUnbound = compareLoops({
    ours: (n) => {
      for (let i = 0; i < n; i++) {
        const s = sets[i & MASK];
        ourHistogram.observe(
          { method: s.method, endpoint: s.endpoint, status_code: s.status_code },
          values[i & VALUE_MASK],
        );
      }
    },
    own: (n) => {
      for (let i = 0; i < n; i++) {
        const s = sets[i & MASK];
        ownHistogram.observe(
          { method: s.method, endpoint: s.endpoint, status_code: s.status_code },
          values[i & VALUE_MASK],
        );
      }
    },
    otel: (n) => {
      for (let i = 0; i < n; i++) {
        const s = sets[i & MASK];
        otel.histogram.record(values[i & VALUE_MASK], {
          method: s.method,
          endpoint: s.endpoint,
          status_code: s.status_code,
        });
      }
    },
    prom: (n) => {
      for (let i = 0; i < n; i++) {
        const s = sets[i & MASK];
        prom.histogram.observe(
          { method: s.method, endpoint: s.endpoint, status_code: s.status_code },
          values[i & VALUE_MASK],
        );
      }
    },
  });

  const rows = [
    [
      'recording (3 labels), median ns/op',
      'agent-telemetry',
      "service's own",
      'raw OTel',
      'prom-client',
      'ours/prom',
      'own/prom',
      'OTel/prom',
      'target',
    ],
  ];
  const add = (label, result, target, meets) =>
    rows.push([
      label,
      fixed(result.ours),
      fixed(result.own),
      fixed(result.otel),
      fixed(result.prom),
      ratio(result.ours, result.prom),
      ratio(result.own, result.prom),
      ratio(result.otel, result.prom),
      `${target} ${meets(Math.max(result.ours, result.own) / result.prom) ? 'met' : 'MISSED'}`,
    ]);
  add('counter inc, bound', counterBound, '<=0.1x', (r) => r <= 0.1);
  add('counter inc, unbound', counterUnbound, '<=1x', (r) => r <= 1);
  add('histogram observe, bound', histogramBound, '<=0.1x', (r) => r <= 0.1);
  add('histogram observe, unbound', histogramUnbound, '<=1x', (r) => r <= 1);
  printTable(rows);

  await Promise.all([ours.shutdown(), otel.provider.shutdown()]);
}

main().catch((err) => {
  process.exitCode = 1;
  process.stderr.write(`${err.stack}\n`);
});
