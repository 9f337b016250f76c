import { instrumentCircuitBreaker, metricsCollector, trackAgentExecution } from '@agent-telemetry/business-metrics';
import Anthropic from '@anthropic-ai/sdk';
import CircuitBreaker from 'opossum';
import OpenAI from 'openai';

/** What an agent answers. */
export interface AgentResult {
  readonly text: string;
}

/**
 * The LLM clients the agents use: the real SDKs, pointed at the simulated provider. Every call is
 * recorded by agent-telemetry's LLM instrumentation, with no wrapper: calls, duration to the
 * stream's end, time to first token, tokens by type, cost, and the agent execution's tokens.
 */
export interface LlmClients {
  readonly anthropic: Anthropic;
  readonly openai: OpenAI;
}

export function createLlmClients(providerUrl: string): LlmClients {
  // One retry, and a timeout shorter than the breaker's: the error metrics move.
  const options = { apiKey: 'demo', maxRetries: 1, timeout: 2000 };
  return {
    anthropic: new Anthropic({ ...options, baseURL: providerUrl }),
    openai: new OpenAI({ ...options, baseURL: `${providerUrl}/v1` }),
  };
}

/**
 * Each agent package calls its model its own way, as real agents do: a plain Anthropic message,
 * an Anthropic `messages.stream()`, an OpenAI stream with its usage, and one without
 * (`stream_options` unset: its tokens show as unreported usage).
 */
let openAiStreams = 0;

async function callModel(clients: LlmClients, packageName: string, prompt: string): Promise<AgentResult> {
  const messages = [{ role: 'user' as const, content: prompt }];
  switch (packageName) {
    case 'code-reviewer': {
      const message = await clients.anthropic.messages
        .stream({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages })
        .finalMessage();
      return { text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join('') };
    }
    case 'sales-researcher': {
      // One stream in four (the first among them) asks for no usage report.
      const withUsage = openAiStreams++ % 4 !== 0;
      const stream = await clients.openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        stream: true,
        ...(withUsage && { stream_options: { include_usage: true } }),
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return { text };
    }
    default: {
      const message = await clients.anthropic.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        messages,
      });
      return { text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join('') };
    }
  }
}

/** The provider behind a circuit breaker, as production services call it. */
export function createAgents(clients: LlmClients) {
  const breaker = new CircuitBreaker((packageName: string, prompt: string) => callModel(clients, packageName, prompt), {
    timeout: 3000,
    errorThresholdPercentage: 50,
    resetTimeout: 5000,
    volumeThreshold: 5,
  });
  instrumentCircuitBreaker(breaker, 'anthropic_api');

  /**
   * Runs one agent execution of `packageName` for a customer of `tier`: one or two LLM calls
   * through the breaker. Executions and duration are recorded by `trackAgentExecution`, its tokens
   * and cost from the calls it made, with no code here.
   */
  return function runAgent(packageName: string, tier: string, input: string): Promise<AgentResult> {
    return trackAgentExecution(
      packageName,
      tier,
    )(async (prompt: string) => {
      const first = await breaker.fire(packageName, prompt);
      if (Math.random() < 0.3) return await breaker.fire(packageName, first.text);
      return first;
    })(input);
  };
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
