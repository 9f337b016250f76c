import type { CatalogueMetrics } from '@agent-telemetry/core';
import { diag } from './diag';
import { costUsd, type PriceList } from './prices';
import type { TokenCounts } from './types';
import { isValidUsage, totalInput } from './usage';

const MAX_WARNED_MODELS = 100;

/**
 * Records token usage: for agents with its cost from the price table, or, for a model the table
 * lacks, as unpriced tokens (reported once per model) — never as a cost of zero. Invalid counts
 * reach the registry, which drops them and counts the drop.
 */
export class UsageRecorder {
  private readonly _warned = new Set<string>();

  constructor(
    private readonly _metrics: CatalogueMetrics,
    readonly prices: PriceList,
  ) {}

  recordAgent(packageName: string, tier: string, model: string | undefined, usage: TokenCounts): void {
    const tokens = this._metrics.agent_tokens_used_total;
    const input = totalInput(usage);
    tokens.inc({ package: packageName, tier, type: 'input' }, input);
    tokens.inc({ package: packageName, tier, type: 'output' }, usage.output);
    if (!isValidUsage(usage)) return;
    const price = model === undefined ? undefined : this.prices.get(model);
    if (price !== undefined) {
      this._metrics.agent_cost_usd_total.inc({ package: packageName, tier }, costUsd(price, usage));
      return;
    }
    const unpriced = model ?? 'unknown';
    this._metrics.llm_unpriced_tokens_total.inc({ model: unpriced }, input + usage.output);
    this._warnUnpriced(unpriced);
  }

  recordLlm(provider: string, model: string, usage: TokenCounts): void {
    const tokens = this._metrics.llm_tokens_used_total;
    tokens.inc({ provider, model, type: 'input' }, totalInput(usage));
    tokens.inc({ provider, model, type: 'output' }, usage.output);
  }

  private _warnUnpriced(model: string): void {
    if (this._warned.has(model) || this._warned.size > MAX_WARNED_MODELS) return;
    this._warned.add(model);
    if (this._warned.size > MAX_WARNED_MODELS) {
      diag.warn(
        `more than ${MAX_WARNED_MODELS} models have no price; further ones are counted in llm_unpriced_tokens_total only`,
      );
      return;
    }
    diag.warn(
      model === 'unknown'
        ? 'token usage without a model name: counted in llm_unpriced_tokens_total{model="unknown"}, not in agent_cost_usd_total; ' +
            "return the response's `model`, or pass { model } to trackAgentExecution"
        : `no price for model "${model}": its tokens are counted in llm_unpriced_tokens_total, not in agent_cost_usd_total; ` +
            'add it with the `prices` option or setPrice()',
    );
  }
}
