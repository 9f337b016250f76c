import type { CatalogueMetrics } from '@agent-telemetry/core';
import { logger } from './logger';
import { costUsd, type PriceList } from './prices';
import type { TokenCounts } from './types';
import { isValidUsage, tokensByType } from './usage';

/**
 * Records token usage by type, with its cost from the price table, or, for a model the table
 * lacks, as unpriced tokens (reported once per model) — never as a cost of zero. Invalid counts
 * reach the registry, which drops them and counts the drop. `input` and `output` are always
 * recorded (so a model's series exist from its first call), the other types when not zero.
 */
export class UsageRecorder {
  constructor(
    private readonly _metrics: CatalogueMetrics,
    readonly prices: PriceList,
  ) {}

  /**
   * An agent execution's tokens and cost. `countUnpriced` is false for usage that the LLM calls'
   * own recording ({@link recordLlm}) already counted as unpriced.
   */
  recordAgent(
    packageName: string,
    tier: string,
    model: string | undefined,
    usage: TokenCounts,
    countUnpriced = true,
  ): void {
    const tokens = this._metrics.agent_tokens_used_total;
    for (const [type, count] of tokensByType(usage)) {
      if (count !== 0 || type === 'input' || type === 'output') tokens.inc({ package: packageName, tier, type }, count);
    }
    const cost = this._cost(model, usage, countUnpriced);
    if (cost !== undefined) this._metrics.agent_cost_usd_total.inc({ package: packageName, tier }, cost);
  }

  /** One call's tokens, under the request's `model`, and its cost at the price of `pricedModel`. */
  recordLlm(provider: string, model: string, pricedModel: string, usage: TokenCounts): void {
    const tokens = this._metrics.llm_tokens_used_total;
    for (const [type, count] of tokensByType(usage)) {
      if (count !== 0 || type === 'input' || type === 'output') tokens.inc({ provider, model, type }, count);
    }
    const cost = this._cost(pricedModel, usage, true);
    if (cost !== undefined) this._metrics.llm_cost_usd_total.inc({ provider, model }, cost);
  }

  /** The cost of `usage`, or undefined when it has no price (counted as unpriced if asked). */
  private _cost(model: string | undefined, usage: TokenCounts, countUnpriced: boolean): number | undefined {
    if (!isValidUsage(usage)) return undefined;
    const price = model === undefined ? undefined : this.prices.get(model);
    if (price !== undefined) return costUsd(price, usage);
    if (!countUnpriced) return undefined;
    const unpriced = model ?? 'unknown';
    const total = tokensByType(usage).reduce((sum, [, count]) => sum + count, 0);
    this._metrics.llm_unpriced_tokens_total.inc({ model: unpriced }, total);
    this._warnUnpriced(unpriced);
    return undefined;
  }

  private _warnUnpriced(model: string): void {
    if (!logger.once(`unpriced:${model}`)) return;
    logger.warn(
      model === 'unknown'
        ? 'token usage without a model name: counted in llm_unpriced_tokens_total{model="unknown"}, not in agent_cost_usd_total; ' +
            "return the response's `model`, or pass { model } to trackAgentExecution"
        : `no price for model "${model}": its tokens are counted in llm_unpriced_tokens_total, not in llm_cost_usd_total nor agent_cost_usd_total; ` +
            'add it with the `prices` option or setPrice()',
    );
  }
}
