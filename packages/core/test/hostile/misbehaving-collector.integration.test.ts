// Issue 9, point 4: a collector that answered 200 and then trickled its body one byte every
// 300 ms kept each OTLP push open (the exporter's timeout is an idle timeout, not a deadline);
// pushes piled up and `shutdown()` never returned. Every push gets a total deadline, and
// `shutdown()` returns within its documented bound whatever the collector does. A 200 whose body
// is cut off or undecodable is logged at most once a minute, not at every export.
import { MisbehavingCollector, type Misbehaviour } from '../helpers/misbehavingCollector';
import { OtlpService } from '../helpers/otlpService';

jest.setTimeout(30_000);

let collector: MisbehavingCollector | undefined;
let service: OtlpService | undefined;

afterEach(async () => {
  service?.kill();
  await collector?.close();
  service = undefined;
  collector = undefined;
});

async function serviceAgainst(misbehaviour: Misbehaviour, otlp: { intervalMillis: number; timeoutMillis: number }) {
  collector = await MisbehavingCollector.start(misbehaviour);
  service = OtlpService.start({
    exporter: 'otlp',
    otlp: { endpoint: collector.url, ...otlp },
    runtimeMetrics: false,
    prometheus: { server: false },
  });
  await service.send({ cmd: 'inc', value: 1 });
  return service;
}

test('a collector trickling its 200 body: each push ends at its deadline, shutdown returns and the process exits', async () => {
  // A byte every 300 ms never lets the exporter's 500 ms idle timeout fire.
  const running = await serviceAgainst('trickle', { intervalMillis: 500, timeoutMillis: 500 });
  await collector!.waitForPushes(4);
  expect(await running.waitForExportFailures(3)).toBeGreaterThanOrEqual(3);
  // Pushes past their deadline were ended: their connections do not pile up.
  expect(await collector!.openConnections()).toBeLessThanOrEqual(2);

  const { errors } = await running.send({ cmd: 'shutdown' });
  expect(await running.exited).toBe(0);
  expect(running.stderr).toBe('');
  // One line, rate-limited; none from the SDK's reader or exporter.
  expect(errors).toEqual([
    expect.stringContaining('otlp export failed (counted in agent_telemetry_export_failures_total)'),
  ]);
  expect(await collector!.openConnections()).toBe(0);
});

test('a collector answering 200 with an undecodable body: logged once, not at every export', async () => {
  const running = await serviceAgainst('garbage', { intervalMillis: 300, timeoutMillis: 1000 });
  await collector!.waitForPushes(4);
  const { errors } = await running.send({ cmd: 'shutdown' });
  expect(await running.exited).toBe(0);
  const undecodable = 'the OTLP collector answered 200 with a body that is not an OTLP response';
  expect(errors!.filter((line) => line.includes(undecodable))).toHaveLength(1);
  // Nothing from the SDK's serializer or reader; a push slower than its deadline on a loaded
  // machine is the only other line there may be.
  expect(errors!.filter((line) => !line.includes(undecodable) && !line.includes('otlp export failed'))).toEqual([]);
});

test('a collector cutting its 200 body off: at most one line, and the service shuts down', async () => {
  const running = await serviceAgainst('cut', { intervalMillis: 500, timeoutMillis: 500 });
  await collector!.waitForPushes(4);
  const { errors } = await running.send({ cmd: 'shutdown' });
  expect(await running.exited).toBe(0);
  expect(running.stderr).toBe('');
  expect(errors!.length).toBeLessThanOrEqual(1);
});
