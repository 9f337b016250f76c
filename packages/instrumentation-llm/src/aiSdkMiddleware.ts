import { isInsideTrackedLlmCall, type MetricsCollector } from '@agent-telemetry/business-metrics';
import { sinkFor } from './activeSink';
import type { StreamProgress } from './internal-types';
import { LlmCall } from './LlmCall';
import { logger } from './logger';

/** The parts of a Vercel AI SDK language model (specification v4) the middleware reads. */
interface LanguageModel {
  readonly provider: string;
  readonly modelId: string;
}

/** The parts of a generate result: the usage (`inputTokens: { total, noCache, ... }`) and the response. */
interface GenerateResult {
  readonly usage?: unknown;
  readonly response?: { readonly modelId?: unknown };
}

interface StreamResult {
  readonly stream: ReadableStream<unknown>;
}

interface CallOptions {
  readonly abortSignal?: AbortSignal;
}

/**
 * A Vercel AI SDK language-model middleware (`LanguageModelV4Middleware`), typed structurally so
 * that `ai` stays out of this package's dependencies.
 */
export interface LlmMetricsMiddleware {
  readonly specificationVersion: 'v4';
  wrapGenerate(options: {
    doGenerate: () => PromiseLike<GenerateResult>;
    params: CallOptions;
    model: LanguageModel;
  }): Promise<any>;
  wrapStream(options: {
    doStream: () => PromiseLike<StreamResult>;
    params: CallOptions;
    model: LanguageModel;
  }): Promise<any>;
}

/** Options of {@link llmMetricsMiddleware}. */
export interface LlmMetricsMiddlewareOptions {
  /**
   * The collector to record through (its price table prices the calls).
   * @default the running LLM instrumentation's (`initTelemetry()`), else `metricsCollector`
   */
  readonly collector?: MetricsCollector;
}

/**
 * Records every model call of the Vercel AI SDK (`generateText`, `streamText`, `generateObject`,
 * `streamObject`, agents) with the same metrics as the SDK instrumentations:
 *
 * ```ts
 * const model = wrapLanguageModel({ model: openai('gpt-4o'), middleware: llmMetricsMiddleware() });
 * ```
 *
 * The AI SDK retries a failed call itself (`maxRetries`) around the model, so each attempt is a
 * call here; the `RetryError` it finally throws is classified by its last error where a tracker
 * sees it. The provider label is the provider's name up to its first dot (`openai.responses` is
 * `openai`).
 */
export function llmMetricsMiddleware(options: LlmMetricsMiddlewareOptions = {}): LlmMetricsMiddleware {
  const start = (model: LanguageModel, params: CallOptions): LlmCall | undefined => {
    if (isInsideTrackedLlmCall()) return undefined;
    try {
      return new LlmCall(sinkFor(options.collector), {
        provider: String(model.provider).split('.')[0] || 'unknown',
        model: String(model.modelId || 'unknown'),
        operation: 'chat',
        signal: params.abortSignal,
      });
    } catch (err) {
      logger.reportOnce('ai-start', 'failed to start recording an AI SDK call; it runs unrecorded', err);
      return undefined;
    }
  };
  return {
    specificationVersion: 'v4',
    async wrapGenerate({ doGenerate, params, model }) {
      const call = start(model, params);
      if (call === undefined) return doGenerate();
      let result: GenerateResult;
      try {
        result = await doGenerate();
      } catch (error) {
        call.fail(error);
        throw error;
      }
      call.succeed({ usage: result?.usage, model: result?.response?.modelId });
      return result;
    },
    async wrapStream({ doStream, params, model }) {
      const call = start(model, params);
      if (call === undefined) return doStream();
      let result: StreamResult;
      try {
        result = await doStream();
      } catch (error) {
        call.fail(error);
        throw error;
      }
      call.responded();
      return { ...result, stream: observeParts(result.stream, call) };
    },
  };
}

/** The model's stream, part for part, read as the AI SDK reads it; cancelling it cancels the model's. */
function observeParts(parts: ReadableStream<unknown>, call: LlmCall): ReadableStream<unknown> {
  const reader = parts.getReader();
  return new ReadableStream<unknown>({
    async pull(controller) {
      let result: { done?: boolean; value?: unknown };
      try {
        result = await reader.read();
      } catch (error) {
        call.fail(error);
        controller.error(error);
        return;
      }
      if (result.done) {
        call.streamEnded();
        controller.close();
        return;
      }
      try {
        readPart(result.value, call);
      } catch (err) {
        logger.reportOnce('ai-part', 'failed to read an AI SDK stream part', err);
      }
      controller.enqueue(result.value);
    },
    cancel(reason) {
      call.abandoned();
      return reader.cancel(reason);
    },
  });
}

function readPart(part: unknown, progress: StreamProgress): void {
  const { type } = (part ?? {}) as { type?: unknown };
  switch (type) {
    case 'text-delta':
    case 'reasoning-delta':
    case 'tool-input-delta':
      progress.firstToken();
      break;
    case 'response-metadata':
      progress.responseModel((part as { modelId?: unknown }).modelId);
      break;
    case 'finish': {
      const usage = (part as { usage?: unknown }).usage;
      if (usage !== null && typeof usage === 'object') progress.usage(usage);
      progress.completed();
      break;
    }
    case 'error':
      progress.failed((part as { error?: unknown }).error);
      break;
  }
}
