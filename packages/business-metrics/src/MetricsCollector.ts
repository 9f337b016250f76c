import {
  defaultRegistry,
  TelemetryConfigError,
  type CatalogueMetrics,
  type MetricName,
  type Tracker,
} from '@agent-telemetry/core';
import { createAgentExecutionTracker } from './createAgentExecutionTracker';
import { createLlmCallTracker } from './createLlmCallTracker';
import { instrumentOpossumBreaker } from './instrumentOpossumBreaker';
import { LlmCallRecorder } from './LlmCallRecorder';
import { CIRCUIT_BREAKER_STATE_VALUES, LLM_CALL_STATUSES, LLM_ERROR_TYPES, TOKEN_TYPES } from './labelValues';
import { logger } from './logger';
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
} from './types';
import { UsageRecorder } from './UsageRecorder';
import { ArgumentChecks, configLabel, configOneOf } from './validate';

const DEFAULT_OPTIONS = { prices: DEFAULT_PRICES } as const;
const BREAKER_STATES = Object.keys(CIRCUIT_BREAKER_STATE_VALUES) as CircuitBreakerState[];

/**
 * Records the agent, LLM, rate-limit, circuit-breaker and business metrics of the catalogue.
 *
 * One error policy: what is fixed when the collector, a tracker or a breaker's instrumentation is
 * created (tiers, prices, a tracker's labels) is configuration, and an invalid value there is a
 * `TelemetryConfigError` naming it. What the recording methods are passed is never thrown at: an
 * invalid argument (a negative amount, a ratio outside 0..1, an unknown state, an empty label, a
 * tier outside `tiers`) drops the call, counts it in
 * `agent_telemetry_recordings_dropped_total{metric,reason}` and is reported once through `diag`.
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
        throw new TelemetryConfigError('options.tiers', tiers, 'a non-empty array of tier names');
      }
      tiers.forEach((tier, i) => configLabel(`options.tiers[${i}]`, tier));
    }
    this._tiers = tiers;
    this._usage = new UsageRecorder(_metrics, new PriceList(prices));
    this._llmCalls = new LlmCallRecorder(_metrics, this._usage);
  }

  // --- Rate limits ------------------------------------------------------------------------

  /** Counts a request rejected by a rate limit: `rate_limit_hits_total{tier,type}`. */
  recordRateLimitHit(tier: Tier, type: string): void {
    const check = this._checks('recordRateLimitHit', 'rate_limit_hits_total');
    const labels = { tier: this._tier(check, tier), type: check.label('type', type) };
    if (!check.failed) this._metrics.rate_limit_hits_total.inc(labels);
  }

  /** Sets the share of a rate limit in use, 0 to 1: `rate_limit_usage_ratio{tier,type}`. */
  setRateLimitUsage(tier: Tier, type: string, ratio: number): void {
    const check = this._checks('setRateLimitUsage', 'rate_limit_usage_ratio');
    const labels = { tier: this._tier(check, tier), type: check.label('type', type) };
    const value = check.ratio('ratio', ratio);
    if (!check.failed) this._metrics.rate_limit_usage_ratio.set(labels, value);
  }

  // --- Circuit breakers -------------------------------------------------------------------

  /** Sets `circuit_breaker_state{name}`: 0 closed, 1 half_open, 2 open. */
  updateCircuitBreakerState(name: string, state: CircuitBreakerState): void {
    const check = this._checks('updateCircuitBreakerState', 'circuit_breaker_state');
    const labels = { name: check.label('name', name) };
    const value = CIRCUIT_BREAKER_STATE_VALUES[check.oneOf('state', state, BREAKER_STATES)];
    if (!check.failed) this._metrics.circuit_breaker_state.set(labels, value);
  }

  /** Counts a failed call through a breaker: `circuit_breaker_failures_total{name}`. */
  recordCircuitBreakerFailure(name: string): void {
    this._countByName('recordCircuitBreakerFailure', 'circuit_breaker_failures_total', name);
  }

  /** Counts a successful call through a breaker: `circuit_breaker_successes_total{name}`. */
  recordCircuitBreakerSuccess(name: string): void {
    this._countByName('recordCircuitBreakerSuccess', 'circuit_breaker_successes_total', name);
  }

  /** Counts a call an open breaker refused: `circuit_breaker_rejections_total{name}`. */
  recordCircuitBreakerRejection(name: string): void {
    this._countByName('recordCircuitBreakerRejection', 'circuit_breaker_rejections_total', name);
  }

  /**
   * Keeps the `circuit_breaker_*{name}` metrics in step with an opossum breaker's events.
   * A breaker instrumented twice by one collector is counted once.
   * @param name the `name` label; defaults to the breaker's `name`
   * @returns a function that stops recording (removes the listeners)
   * @throws TelemetryConfigError when `breaker` is not an opossum breaker or the name is empty
   */
  instrumentCircuitBreaker(breaker: CircuitBreakerLike, name?: string): () => void {
    const method = 'instrumentCircuitBreaker';
    if (
      breaker === null ||
      typeof breaker !== 'object' ||
      typeof breaker.on !== 'function' ||
      typeof breaker.removeListener !== 'function'
    ) {
      throw new TelemetryConfigError(
        `${method}(breaker)`,
        String(breaker),
        'an opossum CircuitBreaker (an EventEmitter with opened/halfOpen)',
      );
    }
    const label = configLabel(`${method}(${name === undefined ? 'breaker.name' : 'name'})`, name ?? breaker.name);
    const existing = this._breakers.get(breaker);
    if (existing !== undefined) {
      logger.warn(`${method}(): breaker "${label}" is already instrumented; keeping the first instrumentation`);
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
    const check = this._checks('recordLlmApiCall', 'llm_api_calls_total');
    const labels = { provider: check.label('provider', provider), model: check.label('model', model) };
    const checkedStatus = check.oneOf('status', status, LLM_CALL_STATUSES);
    const seconds = check.amount('durationSeconds', durationSeconds);
    if (check.failed) return;
    this._metrics.llm_api_calls_total.inc({ ...labels, status: checkedStatus });
    this._metrics.llm_api_duration_seconds.observe(labels, seconds);
  }

  /** Counts a failed provider call by its type: `llm_api_errors_total{provider,error_type}`. */
  recordLlmApiError(provider: string, errorType: LlmErrorType): void {
    const check = this._checks('recordLlmApiError', 'llm_api_errors_total');
    const labels = {
      provider: check.label('provider', provider),
      error_type: check.oneOf('errorType', errorType, LLM_ERROR_TYPES),
    };
    if (!check.failed) this._metrics.llm_api_errors_total.inc(labels);
  }

  /** Adds tokens a provider reported: `llm_tokens_used_total{provider,model,type}`. */
  recordLlmTokens(provider: string, model: string, type: TokenType, count: number): void {
    const check = this._checks('recordLlmTokens', 'llm_tokens_used_total');
    const labels = {
      provider: check.label('provider', provider),
      model: check.label('model', model),
      type: check.oneOf('type', type, TOKEN_TYPES),
    };
    const value = check.count('count', count);
    if (!check.failed) this._metrics.llm_tokens_used_total.inc(labels, value);
  }

  /**
   * Wraps a function (or decorates a method) that calls an LLM provider: calls by status,
   * duration, errors classified by `classifyLlmError`, and the response's token usage and cost.
   * @throws TelemetryConfigError for an empty provider or model
   */
  trackLlmCall(provider: string, model: string): Tracker {
    return createLlmCallTracker(
      this._llmCalls,
      configLabel('trackLlmCall(provider)', provider),
      configLabel('trackLlmCall(model)', model),
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
    const check = this._checks('recordLlmCall', 'llm_api_calls_total');
    const record = check.object<LlmCallRecord>('call', call, 'an LlmCallRecord object');
    if (check.failed) return;
    const status = check.oneOf('call.status', record.status, LLM_CALL_STATUSES);
    const { usage, responseModel, timeToFirstTokenSeconds } = record;
    const checked: LlmCallRecord = {
      provider: check.label('call.provider', record.provider),
      model: check.label('call.model', record.model),
      status,
      durationSeconds: check.amount('call.durationSeconds', record.durationSeconds),
      ...(status !== 'success' && {
        errorType: check.oneOf('call.errorType', record.errorType ?? 'other', LLM_ERROR_TYPES),
      }),
      ...(responseModel !== undefined && { responseModel: check.label('call.responseModel', responseModel) }),
      ...(timeToFirstTokenSeconds !== undefined && {
        timeToFirstTokenSeconds: check.amount('call.timeToFirstTokenSeconds', timeToFirstTokenSeconds),
      }),
      ...(usage !== undefined && { usage: usage === 'unreported' ? usage : checkUsage(check, 'call.usage', usage) }),
    };
    if (!check.failed) this._llmCalls.record(checked);
  }

  // --- Agent executions -------------------------------------------------------------------

  /** Adds an agent's tokens: `agent_tokens_used_total{package,tier,type}`. */
  recordTokens(packageName: string, tier: Tier, type: TokenType, count: number): void {
    const check = this._checks('recordTokens', 'agent_tokens_used_total');
    const labels = {
      package: check.label('packageName', packageName),
      tier: this._tier(check, tier),
      type: check.oneOf('type', type, TOKEN_TYPES),
    };
    const value = check.count('count', count);
    if (!check.failed) this._metrics.agent_tokens_used_total.inc(labels, value);
  }

  /** Adds an agent's cost in USD: `agent_cost_usd_total{package,tier}`. */
  recordAgentCost(packageName: string, tier: Tier, usd: number): void {
    const check = this._checks('recordAgentCost', 'agent_cost_usd_total');
    const labels = { package: check.label('packageName', packageName), tier: this._tier(check, tier) };
    const value = check.amount('usd', usd);
    if (!check.failed) this._metrics.agent_cost_usd_total.inc(labels, value);
  }

  /**
   * Adds an agent's token usage and its cost from the price table. Tokens of a model without a
   * price go to `llm_unpriced_tokens_total{model}` instead of the cost (reported once per model).
   */
  recordAgentUsage(packageName: string, tier: Tier, model: string, usage: TokenCounts): void {
    const check = this._checks('recordAgentUsage', 'agent_tokens_used_total');
    const name = check.label('packageName', packageName);
    const checkedTier = this._tier(check, tier);
    const checkedModel = check.label('model', model);
    const checked = checkUsage(check, 'usage', usage);
    if (!check.failed) this._usage.recordAgent(name, checkedTier, checkedModel, checked);
  }

  /**
   * Wraps an agent's function (or decorates its method): `agent_executions_total` by status
   * (success, error, timeout), `agent_execution_duration_seconds`, `agent_executions_active`,
   * and tokens and cost from the result's usage or from the tracked LLM calls it made.
   * @throws TelemetryConfigError for an empty package name or model, or a tier outside `tiers`
   */
  trackAgentExecution(packageName: string, tier: Tier, options: AgentExecutionOptions = {}): Tracker {
    const method = 'trackAgentExecution';
    const name = configLabel(`${method}(packageName)`, packageName);
    const label = configLabel(`${method}(tier)`, tier);
    const checkedTier =
      this._tiers === undefined ? (label as Tier) : configOneOf(`${method}(tier)`, label, this._tiers);
    if (options.model !== undefined) configLabel(`${method}(options.model)`, options.model);
    return createAgentExecutionTracker(this._metrics, this._usage, name, checkedTier, options);
  }

  // --- Prices -----------------------------------------------------------------------------

  /**
   * Sets (adds or replaces) the price of one model, in USD per million tokens.
   * @throws TelemetryConfigError for an empty model name or an invalid price
   */
  setPrice(model: string, price: ModelPrice): void {
    this._usage.prices.set(configLabel('setPrice(model)', model), price);
  }

  /**
   * Replaces the whole price table; nothing changes when an entry is invalid.
   * @throws TelemetryConfigError naming the invalid entry
   */
  setPrices(prices: PriceTable): void {
    this._usage.prices.replace(prices);
  }

  /** The price `model` is charged at, after name normalisation; undefined when it has none. */
  getPrice(model: string): ModelPrice | undefined {
    return typeof model === 'string' && model !== '' ? this._usage.prices.get(model) : undefined;
  }

  // --- Business ---------------------------------------------------------------------------

  /** Counts a signup: `customer_signups_total{tier}`. */
  recordSignup(tier: Tier): void {
    const check = this._checks('recordSignup', 'customer_signups_total');
    const labels = { tier: this._tier(check, tier) };
    if (!check.failed) this._metrics.customer_signups_total.inc(labels);
  }

  /** Adds revenue in USD: `revenue_usd_total{tier,source}`. */
  recordRevenue(tier: Tier, source: string, usd: number): void {
    const check = this._checks('recordRevenue', 'revenue_usd_total');
    const labels = { tier: this._tier(check, tier), source: check.label('source', source) };
    const value = check.amount('usd', usd);
    if (!check.failed) this._metrics.revenue_usd_total.inc(labels, value);
  }

  /** Sets the number of active customers: `customers_active{tier}`. */
  setActiveCustomers(tier: Tier, count: number): void {
    const check = this._checks('setActiveCustomers', 'customers_active');
    const labels = { tier: this._tier(check, tier) };
    const value = check.count('count', count);
    if (!check.failed) this._metrics.customers_active.set(labels, value);
  }

  /** Counts a failed authentication: `auth_failures_total{reason}`. */
  recordAuthFailure(reason: string): void {
    const check = this._checks('recordAuthFailure', 'auth_failures_total');
    const labels = { reason: check.label('reason', reason) };
    if (!check.failed) this._metrics.auth_failures_total.inc(labels);
  }

  private _checks(method: string, metric: MetricName): ArgumentChecks {
    return new ArgumentChecks(this._metrics, method, metric);
  }

  private _tier(check: ArgumentChecks, tier: unknown): Tier {
    const label = check.label('tier', tier);
    return this._tiers === undefined || check.failed ? (label as Tier) : check.oneOf('tier', label, this._tiers);
  }

  private _countByName(
    method: string,
    metric: 'circuit_breaker_failures_total' | 'circuit_breaker_successes_total' | 'circuit_breaker_rejections_total',
    name: string,
  ): void {
    const check = this._checks(method, metric);
    const labels = { name: check.label('name', name) };
    if (!check.failed) this._metrics[metric].inc(labels);
  }
}

/** Token counts checked field by field; `check.failed` tells whether they may be recorded. */
function checkUsage(check: ArgumentChecks, arg: string, usage: unknown): TokenCounts {
  const counts = check.object<TokenCounts>(arg, usage, '{ input, output, cacheRead?, cacheWrite?, reasoning? }');
  if (check.failed) return counts;
  return {
    input: check.count(`${arg}.input`, counts.input),
    output: check.count(`${arg}.output`, counts.output),
    cacheRead: check.count(`${arg}.cacheRead`, counts.cacheRead ?? 0),
    cacheWrite: check.count(`${arg}.cacheWrite`, counts.cacheWrite ?? 0),
    reasoning: check.count(`${arg}.reasoning`, counts.reasoning ?? 0),
  };
}

/**
 * Creates a collector, for a second registry (tests) or with options (tiers, prices).
 * @param metrics the typed metrics to record into; `defaultRegistry().metrics` by default (what
 *   `initTelemetry()` exports), `telemetry.metrics` for a `createTelemetry()` instance
 * @throws TelemetryConfigError for metrics that are not a registry's, or invalid options
 */
export function createMetricsCollector<const Tier extends string = string>(
  metrics: CatalogueMetrics = defaultRegistry().metrics,
  options?: MetricsCollectorOptions<Tier>,
): MetricsCollector<Tier> {
  if (typeof (metrics as Partial<CatalogueMetrics> | null)?.agent_executions_total?.inc !== 'function') {
    throw new TelemetryConfigError(
      'createMetricsCollector(metrics)',
      String(metrics),
      'the `metrics` of a MetricRegistry or Telemetry',
    );
  }
  return new MetricsCollector<Tier>(metrics, options);
}
