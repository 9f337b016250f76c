// Issue 9, point 7: two label values that differ only in a lone UTF-16 surrogate (a string cut
// mid-emoji) were two series in JavaScript but the same text in UTF-8, so Prometheus received a
// duplicate series and silently dropped one. Label values are made well-formed before lookup.
import { createTelemetry, type Telemetry } from '../../src';
import { boundLabelValue, CUT_MARKER, MAX_LABEL_VALUE_LENGTH } from '../../src/labelValue';
import { familyText, promtoolCheck } from '../../../../test-support/exposition';

let telemetry: Telemetry;

beforeEach(() => {
  telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
});

afterEach(() => telemetry.shutdown());

const ROCKET = '\u{1F680}'; // two code units: \uD83D\uDE80

test('values that differ only in a lone surrogate are one series, written as U+FFFD', async () => {
  const cutMidEmoji = `launch ${ROCKET}`.slice(0, -1); // ends in a lone \uD83D
  telemetry.metrics.customer_signups_total.inc({ tier: cutMidEmoji });
  telemetry.metrics.customer_signups_total.inc({ tier: 'launch \uDC00' });
  telemetry.metrics.customer_signups_total.labels({ tier: 'launch \uFFFD' }).inc();

  const text = await telemetry.scrape();
  expect(familyText(text, 'customer_signups_total')).toBe(
    '# HELP customer_signups_total Customer signups, by tier.\n' +
      '# TYPE customer_signups_total counter\n' +
      'customer_signups_total{tier="launch \uFFFD"} 3\n',
  );
  expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
});

test("the service's own instruments get the same treatment, and the text is valid UTF-8", async () => {
  const counter = telemetry.meterProvider
    .getMeter('service')
    .createCounter('uploads_total', { description: 'Uploads \uD83D.' });
  counter.add(1, { file: 'a\uD800b' });
  const text = await telemetry.scrape();
  expect(familyText(text, 'uploads_total')).toBe(
    '# HELP uploads_total Uploads \uFFFD.\n# TYPE uploads_total counter\nuploads_total{file="a\uFFFDb"} 1\n',
  );
  expect(Buffer.from(text).toString('utf8')).toBe(text);
});

describe('boundLabelValue', () => {
  const long = 'x'.repeat(MAX_LABEL_VALUE_LENGTH - 2);
  test.each([
    ['a short value', 'tier-1', 'tier-1'],
    ['a lone high surrogate', 'a\uD83D', 'a\uFFFD'],
    ['a lone low surrogate', '\uDE80b', '\uFFFDb'],
    ['a whole pair', `a${ROCKET}`, `a${ROCKET}`],
    ['exactly the limit', 'y'.repeat(MAX_LABEL_VALUE_LENGTH), 'y'.repeat(MAX_LABEL_VALUE_LENGTH)],
    ['one past the limit', 'y'.repeat(MAX_LABEL_VALUE_LENGTH + 1), 'y'.repeat(MAX_LABEL_VALUE_LENGTH - 1) + CUT_MARKER],
    // The cut falls inside the pair: the whole pair goes, never half of it.
    ['a cut inside a surrogate pair', `${long}${ROCKET}${ROCKET}`, `${long}${CUT_MARKER}`],
    ['16,000 code units', 'z'.repeat(16_000), 'z'.repeat(MAX_LABEL_VALUE_LENGTH - 1) + CUT_MARKER],
  ])('%s', (_, value, bounded) => {
    expect(boundLabelValue(value)).toBe(bounded);
    expect(boundLabelValue(bounded)).toBe(bounded);
    expect(bounded.length).toBeLessThanOrEqual(MAX_LABEL_VALUE_LENGTH);
    expect(bounded.isWellFormed()).toBe(true);
  });
});
