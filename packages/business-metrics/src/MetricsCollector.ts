import { defaultRegistry, type CatalogueMetrics } from '@agent-telemetry/core';
import { createAgentExecutionTracker } from './createAgentExecutionTracker';
import { createLlmCallTracker } from './createLlmCallTracker';
import { diag } from './diag';
import { instrumentOpossumBreaker } from './instrumentOpossumBreaker';
import { LlmCallRecorder } from './LlmCallRecorder';
import { CIRCUIT_BREAKER_STATE_VALUES, LLM_CALL_STATUSES, LLM_ERROR_TYPES, TOKEN_TYPES } from './labelValues';
import { DEFAULT_PRICES, PriceList } from './prices';
import type {
  AgentExecutionOptions,
  CircuitBreakerLike,
  CircuitBreakerState,
  LlmCallRecord,
  LlmCallStatus,
  LlmErrorType,
  MetricsCollectorOptions,
  ModelPrice,
  PriceTable,
  TokenCounts,
  TokenType,
  Tracker,
} from './types';
import { UsageRecorder } from './UsageRecorder';
import { checkAmount, checkCount, checkLabel, checkOneOf, checkRatio } from './validate';

const DEFAULT_OPTIONS = { prices: DEFAULT_PRICES } as const;
const BREAKER_STATES = Object.keys(CIRCUIT_BREAKER_STATE_VALUES) as CircuitBreakerState[];

/**
 * Records the agent, LLM, rate-limit, circuit-breaker and business metrics of the catalogue.
 *
 * Every method checks its arguments and throws a `TypeError` naming the argument when one is
 * wrong (a negative amount, a ratio outside 0..1, an unknown state, an empty label): these are
 * bugs in the calling code, found at the first call. The trackers (`trackAgentExecution`,
 * `trackLlmCall`) check theirs when they are created and never throw while a tracked call runs.
 *
 * `Tier` narrows the tier arguments; `createMetricsCollector({ tiers: [...] })` infers it.
 */
export class MetricsCollector<Tier extends string = string> {
  private readonly _tiers: readonly Tier[] | undefined;
  private readonly _usage: UsageRecorder;
  private readonly _llmCalls: LlmCallRecorder;
  private readonly _breakers = new WeakMap<object, () => void>();

  /** Use {@link createMetricsCollector}. */
  constructor(
    private readonly _metrics: CatalogueMetrics,
    options: MetricsCollectorOptions<Tier> = {},
  ) {
    const { tiers, prices = DEFAULT_OPTIONS.prices } = options;
    if (tiers !== undefined) {
      if (!Array.isArray(tiers) || tiers.length === 0) {
        throw new TypeError('createMetricsCollector(): options.tiers must be a non-empty array of tier names');
      }
      tiers.forEach((tier, i) => checkLabel('createMetricsCollector', `options.tiers[${i}]`, tier));
    }
    this._tiers = tiers;
    this._usage = new UsageRecorder(_metrics, new PriceList(prices));
    this._llmCalls = new LlmCallRecorder(_metrics, this._usage);
  }

  // --- Rate limits ------------------------------------------------------------------------

  /** Counts a request rejected by a rate limit: `rate_limit_hits_total{tier,type}`. */
  recordRateLimitHit(tier: Tier, type: string): void {
    const labels = {
      tier: this._tier('recordRateLimitHit', tier),
      type: checkLabel('recordRateLimitHit', 'type', type),
    };
    this._metrics.rate_limit_hits_total.inc(labels);
  }

  /** Sets the share of a rate limit in use, 0 to 1: `rate_limit_usage_ratio{tier,type}`. */
  setRateLimitUsage(tier: Tier, type: string, ratio: number): void {
    const method = 'setRateLimitUsage';
    const labels = { tier: this._tier(method, tier), type: checkLabel(method, 'type', type) };
    this._metrics.rate_limit_usage_ratio.set(labels, checkRatio(method, 'ratio', ratio));
  }

  // --- Circuit breakers -------------------------------------------------------------------

  /** Sets `circuit_breaker_state{name}`: 0 closed, 1 half_open, 2 open. */
  updateCircuitBreakerState(name: string, state: CircuitBreakerState): void {
    const method = 'updateCircuitBreakerState';
    const value = CIRCUIT_BREAKER_STATE_VALUES[checkOneOf(method, 'state', state, BREAKER_STATES)];
    this._metrics.circuit_breaker_state.set({ name: checkLabel(method, 'name', name) }, value);
  }

  /** Counts a failed call through a breaker: `circuit_breaker_failures_total{name}`. */
  recordCircuitBreakerFailure(name: string): void {
    this._metrics.circuit_breaker_failures_total.inc({ name: checkLabel('recordCircuitBreakerFailure', 'name', name) });
  }

  /** Counts a successful call through a breaker: `circuit_breaker_successes_total{name}`. */
  recordCircuitBreakerSuccess(name: string): void {
    this._metrics.circuit_breaker_successes_total.inc({
      name: checkLabel('recordCircuitBreakerSuccess', 'name', name),
    });
  }

  /** Counts a call an open breaker refused: `circuit_breaker_rejections_total{name}`. */
  recordCircuitBreakerRejection(name: string): void {
    this._metrics.circuit_breaker_rejections_total.inc({
      name: checkLabel('recordCircuitBreakerRejection', 'name', name),
    });
  }

  /**
   * Keeps the `circuit_breaker_*{name}` metrics in step with an opossum breaker's events.
   * A breaker instrumented twice by one collector is counted once.
   * @param name the `name` label; defaults to the breaker's `name`
   * @returns a function that stops recording (removes the listeners)
   */
  instrumentCircuitBreaker(breaker: CircuitBreakerLike, name?: string): () => void {
    const method = 'instrumentCircuitBreaker';
    if (
      breaker === null ||
      typeof breaker !== 'object' ||
      typeof breaker.on !== 'function' ||
      typeof breaker.removeListener !== 'function'
    ) {
      throw new TypeError(
        `${method}(): breaker must be an opossum CircuitBreaker (an EventEmitter with opened/halfOpen)`,
      );
    }
    const label = checkLabel(method, name === undefined ? 'breaker.name' : 'name', name ?? breaker.name);
    const existing = this._breakers.get(breaker);
    if (existing !== undefined) {
      diag.warn(`${method}(): breaker "${label}" is already instrumented; keeping the first instrumentation`);
      return existing;
    }
    const remove = instrumentOpossumBreaker(this._metrics, breaker, label);
    const stop = (): void => {
      if (this._breakers.get(breaker) !== stop) return;
      this._breakers.delete(breaker);
      remove();
    };
    this._breakers.set(breaker, stop);
    return stop;
  }

  // --- LLM providers ----------------------------------------------------------------------

  /** Records one provider call: `llm_api_calls_total{provider,model,status}` and its duration. */
  recordLlmApiCall(provider: string, model: string, status: LlmCallStatus, durationSeconds: number): void {
    const method = 'recordLlmApiCall';
    const labels = { provider: checkLabel(method, 'provider', provider), model: checkLabel(method, 'model', model) };
    const checkedStatus = checkOneOf(method, 'status', status, LLM_CALL_STATUSES);
    const seconds = checkAmount(method, 'durationSeconds', durationSeconds);
    this._metrics.llm_api_calls_total.inc({ ...labels, status: checkedStatus });
    this._metrics.llm_api_duration_seconds.observe(labels, seconds);
  }

  /** Counts a failed provider call by its type: `llm_api_errors_total{provider,error_type}`. */
  recordLlmApiError(provider: string, errorType: LlmErrorType): void {
    const method = 'recordLlmApiError';
    this._metrics.llm_api_errors_total.inc({
      provider: checkLabel(method, 'provider', provider),
      error_type: checkOneOf(method, 'errorType', errorType, LLM_ERROR_TYPES),
    });
  }

  /** Adds tokens a provider reported: `llm_tokens_used_total{provider,model,type}`. */
  recordLlmTokens(provider: string, model: string, type: TokenType, count: number): void {
    const method = 'recordLlmTokens';
    this._metrics.llm_tokens_used_total.inc(
      {
        provider: checkLabel(method, 'provider', provider),
        model: checkLabel(method, 'model', model),
        type: checkOneOf(method, 'type', type, TOKEN_TYPES),
      },
      checkCount(method, 'count', count),
    );
  }

  /**
   * Wraps a function (or decorates a method) that calls an LLM provider: calls by status,
   * duration, errors classified by `classifyLlmError`, and the response's token usage and cost.
   */
  trackLlmCall(provider: string, model: string): Tracker {
    const method = 'trackLlmCall';
    return createLlmCallTracker(
      this._llmCalls,
      checkLabel(method, 'provider', provider),
      checkLabel(method, 'model', model),
    );
  }

  /**
   * Records one finished LLM call, observed by the caller (another SDK, a streaming loop of its
   * own): `llm_api_calls_total`, `llm_api_duration_seconds`, `llm_api_errors_total`,
   * `llm_time_to_first_token_seconds`, `llm_tokens_used_total` by type, `llm_cost_usd_total` (or
   * `llm_unpriced_tokens_total`), `llm_usage_unreported_total`, and the usage for the enclosing
   * `trackAgentExecution`. The SDK instrumentations record through this method.
   */
  recordLlmCall(call: LlmCallRecord): void {
    const method = 'recordLlmCall';
    if (call === null || typeof call !== 'object') throw new TypeError(`${method}(): call must be an object`);
    const status = checkOneOf(method, 'call.status', call.status, LLM_CALL_STATUSES);
    const usage = call.usage;
    this._llmCalls.record({
      provider: checkLabel(method, 'call.provider', call.provider),
      model: checkLabel(method, 'call.model', call.model),
      status,
      durationSeconds: checkAmount(method, 'call.durationSeconds', call.durationSeconds),
      ...(status !== 'success' && {
        errorType: checkOneOf(method, 'call.errorType', call.errorType ?? 'other', LLM_ERROR_TYPES),
      }),
      ...(call.responseModel !== undefined && {
        responseModel: checkLabel(method, 'call.responseModel', call.responseModel),
      }),
      ...(call.timeToFirstTokenSeconds !== undefined && {
        timeToFirstTokenSeconds: checkAmount(method, 'call.timeToFirstTokenSeconds', call.timeToFirstTokenSeconds),
      }),
      ...(usage !== undefined && {
        usage: usage === 'unreported' ? usage : checkUsage(method, usage),
      }),
    });
  }

  // --- Agent executions -------------------------------------------------------------------

  /** Adds an agent's tokens: `agent_tokens_used_total{package,tier,type}`. */
  recordTokens(packageName: string, tier: Tier, type: TokenType, count: number): void {
    const method = 'recordTokens';
    this._metrics.agent_tokens_used_total.inc(
      {
        package: checkLabel(method, 'packageName', packageName),
        tier: this._tier(method, tier),
        type: checkOneOf(method, 'type', type, TOKEN_TYPES),
      },
      checkCount(method, 'count', count),
    );
  }

  /** Adds an agent's cost in USD: `agent_cost_usd_total{package,tier}`. */
  recordAgentCost(packageName: string, tier: Tier, usd: number): void {
    const method = 'recordAgentCost';
    this._metrics.agent_cost_usd_total.inc(
      { package: checkLabel(method, 'packageName', packageName), tier: this._tier(method, tier) },
      checkAmount(method, 'usd', usd),
    );
  }

  /**
   * Adds an agent's token usage and its cost from the price table. Tokens of a model without a
   * price go to `llm_unpriced_tokens_total{model}` instead of the cost (reported once per model).
   */
  recordAgentUsage(packageName: string, tier: Tier, model: string, usage: TokenCounts): void {
    const method = 'recordAgentUsage';
    const labels = [checkLabel(method, 'packageName', packageName), this._tier(method, tier)] as const;
    const checked = checkUsage(method, usage);
    this._usage.recordAgent(...labels, checkLabel(method, 'model', model), checked);
  }

  /**
   * Wraps an agent's function (or decorates its method): `agent_executions_total` by status
   * (success, error, timeout), `agent_execution_duration_seconds`, `agent_executions_active`,
   * and tokens and cost from the result's usage or from the tracked LLM calls it made.
   */
  trackAgentExecution(packageName: string, tier: Tier, options: AgentExecutionOptions = {}): Tracker {
    const method = 'trackAgentExecution';
    const name = checkLabel(method, 'packageName', packageName);
    const checkedTier = this._tier(method, tier);
    if (options.model !== undefined) checkLabel(method, 'options.model', options.model);
    return createAgentExecutionTracker(this._metrics, this._usage, name, checkedTier, options);
  }

  // --- Prices -----------------------------------------------------------------------------

  /** Sets (adds or replaces) the price of one model, in USD per million tokens. */
  setPrice(model: string, price: ModelPrice): void {
    this._usage.prices.set(checkLabel('setPrice', 'model', model), price);
  }

  /** Replaces the whole price table; nothing changes when an entry is invalid. */
  setPrices(prices: PriceTable): void {
    this._usage.prices.replace(prices);
  }

  /** The price `model` is charged at, after name normalisation; undefined when it has none. */
  getPrice(model: string): ModelPrice | undefined {
    return this._usage.prices.get(checkLabel('getPrice', 'model', model));
  }

  // --- Business ---------------------------------------------------------------------------

  /** Counts a signup: `customer_signups_total{tier}`. */
  recordSignup(tier: Tier): void {
    this._metrics.customer_signups_total.inc({ tier: this._tier('recordSignup', tier) });
  }

  /** Adds revenue in USD: `revenue_usd_total{tier,source}`. */
  recordRevenue(tier: Tier, source: string, usd: number): void {
    const method = 'recordRevenue';
    this._metrics.revenue_usd_total.inc(
      { tier: this._tier(method, tier), source: checkLabel(method, 'source', source) },
      checkAmount(method, 'usd', usd),
    );
  }

  /** Sets the number of active customers: `customers_active{tier}`. */
  setActiveCustomers(tier: Tier, count: number): void {
    const method = 'setActiveCustomers';
    this._metrics.customers_active.set({ tier: this._tier(method, tier) }, checkCount(method, 'count', count));
  }

  /** Counts a failed authentication: `auth_failures_total{reason}`. */
  recordAuthFailure(reason: string): void {
    this._metrics.auth_failures_total.inc({ reason: checkLabel('recordAuthFailure', 'reason', reason) });
  }

  private _tier(method: string, tier: unknown): Tier {
    const checked = checkLabel(method, 'tier', tier);
    return this._tiers === undefined ? (checked as Tier) : checkOneOf(method, 'tier', checked, this._tiers);
  }
}

function checkUsage(method: string, usage: TokenCounts): TokenCounts {
  if (usage === null || typeof usage !== 'object') {
    throw new TypeError(
      `${method}(): usage must be { input, output, cacheRead?, cacheWrite?, reasoning? }, got ${String(usage)}`,
    );
  }
  return {
    input: checkCount(method, 'usage.input', usage.input),
    output: checkCount(method, 'usage.output', usage.output),
    cacheRead: checkCount(method, 'usage.cacheRead', usage.cacheRead ?? 0),
    cacheWrite: checkCount(method, 'usage.cacheWrite', usage.cacheWrite ?? 0),
    reasoning: checkCount(method, 'usage.reasoning', usage.reasoning ?? 0),
  };
}

/**
 * Creates a collector, for a second registry (tests) or with options (tiers, prices).
 * @param metrics the typed metrics to record into; `defaultRegistry().metrics` by default (what
 *   `initTelemetry()` exports), `telemetry.metrics` for a `createTelemetry()` instance
 */
export function createMetricsCollector<const Tier extends string = string>(
  metrics: CatalogueMetrics = defaultRegistry().metrics,
  options?: MetricsCollectorOptions<Tier>,
): MetricsCollector<Tier> {
  if (typeof (metrics as Partial<CatalogueMetrics> | null)?.agent_executions_total?.inc !== 'function') {
    throw new TypeError('createMetricsCollector(): metrics must be the `metrics` of a MetricRegistry or Telemetry');
  }
  return new MetricsCollector<Tier>(metrics, options);
}
