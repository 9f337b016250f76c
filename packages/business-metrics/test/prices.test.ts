import { TelemetryConfigError } from '@agent-telemetry/core';
import { DEFAULT_PRICES } from '../src';
import { costUsd, PriceList } from '../src/prices';

describe('PriceList.get', () => {
  const prices = new PriceList(DEFAULT_PRICES);
  test.each([
    ['claude-sonnet-4', 'claude-sonnet-4'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['claude-sonnet-4@20250514', 'claude-sonnet-4'],
    ['anthropic/claude-sonnet-4', 'claude-sonnet-4'],
    ['Claude-Sonnet-4', 'claude-sonnet-4'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['openai/gpt-4.1-mini', 'gpt-4.1-mini'],
  ])('%s is priced as %s', (model, entry) => {
    expect(prices.get(model)).toBe(prices.get(entry));
    expect(prices.get(entry)).toEqual(DEFAULT_PRICES[entry]);
  });

  test.each(['gpt-4o-mini-realtime', 'claude-sonnet', 'llama-3.1-70b', 'gpt-4o-audio-preview', ''])(
    '%j has no price (no guessing from a prefix)',
    (model) => expect(prices.get(model)).toBeUndefined(),
  );
});

test('costUsd: each token kind at its price, cache prices defaulting to input', () => {
  expect(
    costUsd(
      { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
      { input: 1000, output: 500, cacheRead: 10000, cacheWrite: 2000 },
    ),
  ).toBe(0.021);
  expect(costUsd({ input: 2, output: 8 }, { input: 1000, output: 1000, cacheRead: 1000, cacheWrite: 1000 })).toBe(
    0.014,
  );
  expect(costUsd({ input: 2, output: 8 }, { input: 0, output: 0 })).toBe(0);
});

test('DEFAULT_PRICES is frozen, entries included', () => {
  expect(Object.isFrozen(DEFAULT_PRICES)).toBe(true);
  expect(Object.values(DEFAULT_PRICES).every(Object.isFrozen)).toBe(true);
});

test.each([
  [null, 'prices: null; accepted: an object of model name to price'],
  [{ m: 5 }, 'prices["m"]: 5; accepted: { input, output, cacheRead?, cacheWrite? } in USD per million tokens'],
  [{ m: { input: 1 } }, 'prices["m"].output: "undefined"; accepted: a finite number >= 0 (USD per million tokens)'],
  [
    { m: { input: 1, output: 1, cacheRead: -1 } },
    'prices["m"].cacheRead: -1; accepted: a finite number >= 0 (USD per million tokens)',
  ],
  [
    { m: { input: Infinity, output: 1 } },
    'prices["m"].input: "Infinity"; accepted: a finite number >= 0 (USD per million tokens)',
  ],
])('an invalid table is a TelemetryConfigError naming the field: %j', (table, message) => {
  expect(() => new PriceList(table as never)).toThrow(TelemetryConfigError);
  expect(() => new PriceList(table as never)).toThrow(`agent-telemetry: invalid ${message}`);
});
