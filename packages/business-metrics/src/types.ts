/**
 * Public types of `@agent-telemetry/business-metrics`: label values with a fixed vocabulary, the
 * price table, token counts, options, and the shape of the trackers.
 */

/** The `status` label of `agent_executions_total`. */
export type AgentExecutionStatus = 'success' | 'error' | 'timeout';

/** The `status` label of `llm_api_calls_total`. Why a call failed goes to `llm_api_errors_total`. */
export type LlmCallStatus = 'success' | 'error';

/** The `error_type` label of `llm_api_errors_total`; see `classifyLlmError` for the rules. */
export type LlmErrorType = 'rate_limit' | 'auth' | 'timeout' | 'server_error' | 'connection' | 'other';

/** A circuit breaker's state; `circuit_breaker_state` exposes it as 0, 1 and 2. */
export type CircuitBreakerState = 'closed' | 'half_open' | 'open';

/** The `type` label of `agent_tokens_used_total` and `llm_tokens_used_total`. */
export type TokenType = 'input' | 'output';

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

/** Tokens of one or more LLM calls, split the way providers bill them. */
export interface TokenCounts {
  /** Input tokens not read from or written to a prompt cache. */
  readonly input: number;
  readonly output: number;
  /** Input tokens read from the prompt cache. @default 0 */
  readonly cacheRead?: number;
  /** Input tokens written to the prompt cache. @default 0 */
  readonly cacheWrite?: number;
}

/** Options of `createMetricsCollector`. */
export interface MetricsCollectorOptions<Tier extends string = string> {
  /**
   * The customer tiers this service has. When set, a tier outside the list is a `TypeError` (and
   * the type parameter `Tier` is inferred from it, so a wrong tier fails to compile).
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

/**
 * What `trackAgentExecution` and `trackLlmCall` return: a function wrapper, a TypeScript 5
 * (TC39) method decorator and a legacy (`experimentalDecorators`) method decorator in one.
 * The wrapped function keeps its `this`, arguments, return value (the same object, also for
 * promises) and thrown errors (the same object); a sync function stays sync.
 */
export interface Tracker {
  /**
   * Wraps a function. (`context` is never passed: it only keeps this signature from matching a
   * decorator on a getter, setter or field, which TypeScript would otherwise accept.)
   */
  <F extends (this: any, ...args: any[]) => any>(fn: F, context?: undefined): F;
  /** `@tracker` on a method, with TypeScript 5 decorators. */
  <This, Args extends any[], Return>(
    method: (this: This, ...args: Args) => Return,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return;
  /** `@tracker` on a method, with `experimentalDecorators`. */
  (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
}
