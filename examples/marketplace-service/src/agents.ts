import {
  instrumentCircuitBreaker,
  metricsCollector,
  trackAgentExecution,
  trackLlmCall,
} from '@agent-telemetry/business-metrics';
import CircuitBreaker from 'opossum';

/** What the simulated provider answers, in the Anthropic shape. */
interface LlmResponse {
  readonly text: string;
  readonly usage: { readonly input_tokens: number; readonly output_tokens: number };
}

/** An error as LLM SDKs raise them: an HTTP status, or a network code. */
class ProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

const MODEL = 'claude-sonnet-4';

/**
 * The provider has an outage of OUTAGE_MS every OUTAGE_EVERY_MS, the first FIRST_OUTAGE_MS after
 * the first call (not after start-up, which may be slow while the stores connect).
 */
const FIRST_OUTAGE_MS = 2000;
const OUTAGE_MS = 6000;
const OUTAGE_EVERY_MS = 30_000;
let firstCall: number | undefined;

function inOutage(now: number): boolean {
  firstCall ??= now;
  const since = now - firstCall - FIRST_OUTAGE_MS;
  return since >= 0 && since % OUTAGE_EVERY_MS < OUTAGE_MS;
}

/**
 * A simulated LLM provider: 50-400 ms answers, ~5% 429s, ~2% timeouts, ~1% 500s, and a 6 s
 * outage (503s) every 30 s that drives the circuit breaker open, half-open and closed again, so
 * the LLM, circuit-breaker and error metrics all move.
 */
async function callProvider(prompt: string): Promise<LlmResponse> {
  const roll = Math.random();
  await sleep(50 + Math.random() * 350);
  if (inOutage(Date.now())) throw new ProviderError('service unavailable', 503);
  if (roll < 0.05) throw new ProviderError('rate limited', 429);
  if (roll < 0.07) throw new ProviderError('request timed out', undefined, 'ETIMEDOUT');
  if (roll < 0.08) throw new ProviderError('overloaded', 500);
  return {
    text: `done: ${prompt.slice(0, 20)}`,
    usage: { input_tokens: 200 + Math.floor(Math.random() * 800), output_tokens: 50 + Math.floor(Math.random() * 400) },
  };
}

const trackedProviderCall = trackLlmCall('Anthropic', MODEL)(callProvider);

/** The provider behind a circuit breaker, as production services call it. */
const breaker = new CircuitBreaker(trackedProviderCall, {
  timeout: 3000,
  errorThresholdPercentage: 50,
  resetTimeout: 5000,
  volumeThreshold: 5,
});
instrumentCircuitBreaker(breaker, 'anthropic_api');

/**
 * Runs one agent execution of `packageName` for a customer of `tier`: one or two LLM calls through
 * the breaker. Executions, duration, tokens and cost are recorded by `trackAgentExecution`.
 */
export function runAgent(packageName: string, tier: string, input: string): Promise<LlmResponse> {
  return trackAgentExecution(
    packageName,
    tier,
  )(async (prompt: string) => {
    const first = (await breaker.fire(prompt)) as LlmResponse;
    if (Math.random() < 0.3) {
      const second = (await breaker.fire(first.text)) as LlmResponse;
      return {
        text: second.text,
        usage: {
          input_tokens: first.usage.input_tokens + second.usage.input_tokens,
          output_tokens: first.usage.output_tokens + second.usage.output_tokens,
        },
      };
    }
    return first;
  })(input);
}

/** Requests per window each tier may make. */
const TIER_LIMITS: Readonly<Record<string, number>> = { free: 5, basic: 20, premium: 60 };
const WINDOW_MS = 1000;

/**
 * A hand-written fixed-window rate limiter, recording hits and usage through the collector.
 * @returns false when the request must be rejected with 429
 */
export class RateLimiter {
  private readonly _used = new Map<string, { windowStart: number; count: number }>();

  allow(tier: string): boolean {
    const limit = TIER_LIMITS[tier] ?? TIER_LIMITS['free']!;
    const now = Date.now();
    let usage = this._used.get(tier);
    if (usage === undefined || now - usage.windowStart >= WINDOW_MS) {
      usage = { windowStart: now, count: 0 };
      this._used.set(tier, usage);
    }
    const allowed = usage.count < limit;
    if (allowed) usage.count++;
    else metricsCollector.recordRateLimitHit(tier, 'request');
    metricsCollector.setRateLimitUsage(tier, 'request', Math.min(1, usage.count / limit));
    return allowed;
  }
}

/** True when the breaker rejected the call without trying (it is open). */
export function isBreakerOpen(err: unknown): boolean {
  return (err as { code?: string } | undefined)?.code === 'EOPENBREAKER';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
