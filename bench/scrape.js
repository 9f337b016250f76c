'use strict';
// Scrape cost: one Prometheus scrape of 1k and 10k label sets, each recorded in a counter and a
// histogram, through agent-telemetry (`scrape()`, Prometheus and OTLP readers both on), raw OTel
// (Prometheus reader collect + the exporter's PrometheusSerializer) and prom-client
// (`register.metrics()`), side by side in one process. Prints ms/scrape and the ratios.

const { PrometheusSerializer } = require('@opentelemetry/exporter-prometheus');
const {
  createOurs,
  createRawOtel,
  createPromClient,
  labelSets,
  durations,
  compareAsync,
  printTable,
  fixed,
  ratio,
  COUNTER,
  HISTOGRAM,
} = require('./lib/common');

const SIZES = [1_000, 10_000];

async function scrapeOf(size) {
  // One more than the label sets, so the limit (which counts the overflow series) folds nothing.
  const limit = size + 1;
  const ours = createOurs(limit);
  const otel = createRawOtel(limit);
  const prom = createPromClient();
  const serializer = new PrometheusSerializer('', false, undefined, true, true);
  const values = durations(size);
  labelSets(size).forEach((labels, i) => {
    ours.metrics[COUNTER].inc(labels, i + 1);
    ours.metrics[HISTOGRAM].observe(labels, values[i]);
    otel.counter.add(i + 1, labels);
    otel.histogram.record(values[i], labels);
    prom.counter.inc(labels, i + 1);
    prom.histogram.observe(labels, values[i]);
  });

  // Each case ends with what the endpoint does with the text (Content-Length), which also makes
  // a string built by concatenation pay for its flattening.
  /** @type {Record<string, number>} */
  const lengths = {};
  const result = await compareAsync(
    {
      ours: async () => {
        lengths.ours = Buffer.byteLength(await ours.scrape());
      },
      otel: async () => {
        const { resourceMetrics } = await otel.prometheus.collect();
        lengths.otel = Buffer.byteLength(serializer.serialize(resourceMetrics));
      },
      prom: async () => {
        lengths.prom = Buffer.byteLength(await prom.register.metrics());
      },
    },
    { rounds: size >= 10_000 ? 7 : 11 },
  );
  await Promise.all([ours.shutdown(), otel.provider.shutdown()]);
  return { ours: result.ours, otel: result.otel, prom: result.prom, lengths };
}

async function main() {
  const rows = [
    [
      'scrape (counter + histogram), median ms',
      'agent-telemetry',
      'raw OTel',
      'prom-client',
      'ours/prom',
      'OTel/prom',
      'target',
    ],
  ];
  for (const size of SIZES) {
    const result = await scrapeOf(size);
    const meets = result.ours / result.prom <= 0.5;
    rows.push([
      `${size} label sets (${Math.round(result.lengths.ours / 1024)} KiB)`,
      fixed(result.ours, 2),
      fixed(result.otel, 2),
      fixed(result.prom, 2),
      ratio(result.ours, result.prom),
      ratio(result.otel, result.prom),
      `<=0.5x ${meets ? 'met' : 'MISSED'}`,
    ]);
  }
  printTable(rows);
}

main().catch((err) => {
  process.exitCode = 1;
  process.stderr.write(`${err.stack}\n`);
});
