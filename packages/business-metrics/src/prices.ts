import { TelemetryConfigError } from '@agent-telemetry/core';
import type { ModelPrice, PriceTable, TokenCounts } from './types';

/**
 * When {@link DEFAULT_PRICES} was taken from the providers' price pages (year and month). The
 * table ships with the package and is never fetched: it is as old as the installed version.
 */
export const DEFAULT_PRICES_AS_OF = '2025-11';

/**
 * List prices in USD per million tokens, as Anthropic and OpenAI published them in November 2025
 * ({@link DEFAULT_PRICES_AS_OF}; standard tier, 5-minute cache writes). Prices change: check them
 * against the providers' pages and override or extend through the `prices` option or `setPrice`.
 */
export const DEFAULT_PRICES: PriceTable = freezeTable({
  'claude-opus-4-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-1': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  'claude-opus-4': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-sonnet-4': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-3-7-sonnet': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08 },
  'claude-3-haiku': { input: 0.25, output: 1.25, cacheWrite: 0.3, cacheRead: 0.03 },
  'gpt-5': { input: 1.25, output: 10, cacheRead: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cacheRead: 0.005 },
  'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cacheRead: 0.025 },
  'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 },
  o3: { input: 2, output: 8, cacheRead: 0.5 },
  'o4-mini': { input: 1.1, output: 4.4, cacheRead: 0.275 },
});

// Dated snapshots and aliases price as their model: `claude-sonnet-4-20250514`,
// `gpt-4o-2024-08-06`, `claude-3-7-sonnet-latest`, Vertex's `claude-sonnet-4@20250514`.
const VERSION_SUFFIX = /(?:-\d{8}|-\d{4}-\d{2}-\d{2}|-latest|@\d{8})$/;

/** The price table of one collector: validated on the way in, looked up by model name. */
export class PriceList {
  private _prices = new Map<string, ModelPrice>();

  constructor(table: PriceTable) {
    this.replace(table);
  }

  /** Replaces the whole table; nothing changes when an entry is invalid. */
  replace(table: PriceTable): void {
    if (table === null || typeof table !== 'object') {
      throw new TelemetryConfigError('prices', table, 'an object of model name to price');
    }
    const next = new Map<string, ModelPrice>();
    for (const [model, price] of Object.entries(table)) next.set(model.toLowerCase(), checkPrice(model, price));
    this._prices = next;
  }

  set(model: string, price: ModelPrice): void {
    this._prices.set(model.toLowerCase(), checkPrice(model, price));
  }

  /** The price of `model`, trying its name without provider prefix and version suffix too. */
  get(model: string): ModelPrice | undefined {
    const name = model.toLowerCase();
    const exact = this._prices.get(name);
    if (exact !== undefined) return exact;
    const bare = name.slice(name.lastIndexOf('/') + 1).replace(VERSION_SUFFIX, '');
    return this._prices.get(bare);
  }
}

/** Cost in USD of `usage` at `price` (reasoning billed as output); one division, so round figures stay exact. */
export function costUsd(price: ModelPrice, usage: TokenCounts): number {
  const micro =
    usage.input * price.input +
    (usage.output + (usage.reasoning ?? 0)) * price.output +
    (usage.cacheRead ?? 0) * (price.cacheRead ?? price.input) +
    (usage.cacheWrite ?? 0) * (price.cacheWrite ?? price.input);
  return micro / 1e6;
}

function freezeTable(table: Record<string, ModelPrice>): PriceTable {
  for (const price of Object.values(table)) Object.freeze(price);
  return Object.freeze(table);
}

function checkPrice(model: string, price: unknown): ModelPrice {
  const where = `prices[${JSON.stringify(model)}]`;
  if (price === null || typeof price !== 'object') {
    throw new TelemetryConfigError(
      where,
      price,
      '{ input, output, cacheRead?, cacheWrite? } in USD per million tokens',
    );
  }
  const fields = price as Record<string, unknown>;
  for (const field of ['input', 'output', 'cacheRead', 'cacheWrite']) {
    const value = fields[field];
    const optional = field.startsWith('cache');
    if (optional && value === undefined) continue;
    if (!(typeof value === 'number' && value >= 0 && value !== Infinity)) {
      throw new TelemetryConfigError(
        `${where}.${field}`,
        shown(value),
        'a finite number >= 0 (USD per million tokens)',
      );
    }
  }
  const { input, output, cacheRead, cacheWrite } = price as ModelPrice;
  return Object.freeze({
    input,
    output,
    ...(cacheRead !== undefined && { cacheRead }),
    ...(cacheWrite !== undefined && { cacheWrite }),
  });
}

/** A value as the error shows it: JSON has no NaN, Infinity or undefined. */
function shown(value: unknown): unknown {
  return value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? String(value) : value;
}
