/**
 * Public types of `@agent-telemetry/business-metrics`: label values with a fixed vocabulary, the
 * price table, token counts and options. The trackers' shape, `Tracker`, is core's.
 */

/** The `status` label of `agent_executions_total`. */
export type AgentExecutionStatus = 'success' | 'error' | 'timeout';

/**
 * The `status` label of `llm_api_calls_total`: `cancelled` when the caller aborted the call or
 * stopped reading its stream. Why a call did not succeed goes to `llm_api_errors_total`.
 */
export type LlmCallStatus = 'success' | 'error' | 'cancelled';

/** The `error_type` label of `llm_api_errors_total`; see `classifyLlmError` for the rules. */
export type LlmErrorType =
  'rate_limit' | 'auth' | 'timeout' | 'server_error' | 'overloaded' | 'connection' | 'cancelled' | 'other';

/** A circuit breaker's state; `circuit_breaker_state` exposes it as 0, 1 and 2. */
export type CircuitBreakerState = 'closed' | 'half_open' | 'open';

/**
 * The `type` label of `agent_tokens_used_total` and `llm_tokens_used_total`. Each token is
 * counted in exactly one type, so the sum over types is every token: `input` is input neither
 * read from nor written to a prompt cache, `output` is output other than reasoning.
 */
export type TokenType = 'input' | 'output' | 'cache_read' | 'cache_write' | 'reasoning';

/**
 * List price of one model in US dollars per million tokens.
 * Cache prices default to `input` when absent.
 */
export interface ModelPrice {
  /** USD per million input tokens that were neither read from nor written to a prompt cache. */
  readonly input: number;
  /** USD per million output tokens. */
  readonly output: number;
  /** USD per million input tokens read from the prompt cache. @default input */
  readonly cacheRead?: number;
  /** USD per million input tokens written to the prompt cache. @default input */
  readonly cacheWrite?: number;
}

/**
 * Model name (lower case, as providers spell it without a date suffix) to price. A lookup tries the
 * name as given, then without a provider prefix (`anthropic/`), a date or `-latest` suffix.
 */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * Tokens of one or more LLM calls, split the way providers bill them. The fields never overlap:
 * their sum is every token of the call.
 */
export interface TokenCounts {
  /** Input tokens not read from or written to a prompt cache. */
  readonly input: number;
  /** Output tokens other than reasoning tokens. */
  readonly output: number;
  /** Input tokens read from the prompt cache. @default 0 */
  readonly cacheRead?: number;
  /** Input tokens written to the prompt cache. @default 0 */
  readonly cacheWrite?: number;
  /** Output tokens spent on reasoning (billed as output), not included in `output`. @default 0 */
  readonly reasoning?: number;
}

/** One finished LLM provider call, as `recordLlmCall` records it. */
export interface LlmCallRecord {
  /** The `provider` label (`openai`, `anthropic`, ...). */
  readonly provider: string;
  /** The `model` label: the model the request asked for. */
  readonly model: string;
  /** The model the response names (a dated snapshot), used for the price when given. @default model */
  readonly responseModel?: string;
  /** How the call ended. */
  readonly status: LlmCallStatus;
  /** Why it did not succeed (required unless `status` is `success`); see `classifyLlmError`. */
  readonly errorType?: LlmErrorType;
  /** From the start of the call to its last event (the end of a stream). */
  readonly durationSeconds: number;
  /** From the start of a streamed call to its first generated token. @default not recorded */
  readonly timeToFirstTokenSeconds?: number;
  /**
   * The tokens the provider reported, or `'unreported'` when a response came without a usage
   * report (counted in `llm_usage_unreported_total`). Absent when no response came (a 429).
   * @default undefined
   */
  readonly usage?: TokenCounts | 'unreported';
}

/** Options of `createMetricsCollector`. */
export interface MetricsCollectorOptions<Tier extends string = string> {
  /**
   * The customer tiers this service has. When set, a tier outside the list is dropped and counted
   * when recording, and a `TelemetryConfigError` when a tracker is created (and the type parameter
   * `Tier` is inferred from it, so a wrong tier fails to compile).
   * @default undefined (any non-empty string)
   */
  readonly tiers?: readonly Tier[];
  /**
   * The price table used for `agent_cost_usd_total`. It replaces the built-in table; to extend
   * that, spread it: `{ ...DEFAULT_PRICES, 'my-model': { input: 1, output: 2 } }`.
   * @default DEFAULT_PRICES
   */
  readonly prices?: PriceTable;
}

/** Options of `trackAgentExecution`. */
export interface AgentExecutionOptions {
  /**
   * Model to price the result's token usage with when the result names none and the execution
   * made no tracked LLM call (`trackLlmCall`) that names one.
   * @default undefined (tokens are counted as unpriced under model "unknown")
   */
  readonly model?: string;
}

/**
 * What `instrumentCircuitBreaker` needs of a breaker: opossum's `CircuitBreaker` (6 to 9) has it.
 * Typed structurally so that opossum stays an optional peer dependency.
 */
export interface CircuitBreakerLike {
  /** opossum's name: the function's name or a generated UUID unless `options.name` is set. */
  readonly name?: string;
  readonly opened: boolean;
  readonly halfOpen: boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
}
