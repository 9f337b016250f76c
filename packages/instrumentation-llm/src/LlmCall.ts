import { readUsage, type LlmCallRecord, type TokenCounts } from '@agent-telemetry/business-metrics';
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { abandoned, failureOf, type Failure } from './classifyOutcome';
import type { CallSink, GenAiOperation, StreamProgress } from './internal-types';
import { logger } from './logger';

/** What is known about the request when the call starts. */
export interface CallStart {
  readonly provider: string;
  readonly model: string;
  readonly operation: GenAiOperation;
  /** The caller's abort signal, to tell a timeout (`AbortSignal.timeout()`) from a cancel. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * One LLM call from its start to its end (the last event of a stream, or the break), recorded
 * once. It is a {@link StreamProgress} for the provider's stream reader.
 *
 * The record is made in the async context the call started in (an `AsyncLocalStorage`
 * snapshot), so its tokens go to the `trackAgentExecution` that made the call even when the
 * stream is read elsewhere.
 */
export class LlmCall implements StreamProgress {
  private readonly _startTime = performance.now();
  private readonly _context = AsyncLocalStorage.snapshot();
  private _firstTokenSeconds: number | undefined;
  private _usage: object | undefined;
  private _responseModel: string | undefined;
  private _completed = false;
  private _failure: unknown;
  private _hasFailure = false;
  private _responded = false;
  private _ended = false;

  constructor(
    private readonly _sink: CallSink,
    private readonly _start: CallStart,
  ) {}

  get signal(): AbortSignal | undefined {
    return this._start.signal;
  }

  /** The provider answered (headers of a 2xx response): a call without usage is now "unreported". */
  responded(): void {
    this._responded = true;
  }

  firstToken(): void {
    this._firstTokenSeconds ??= (performance.now() - this._startTime) / 1000;
  }

  usage(usage: object): void {
    this._usage = usage;
  }

  responseModel(model: unknown): void {
    if (typeof model === 'string' && model !== '') this._responseModel = model;
  }

  completed(): void {
    this._completed = true;
  }

  failed(error: unknown): void {
    this._failure = error;
    this._hasFailure = true;
  }

  /** A non-streamed response arrived: its usage and model. */
  succeed(result: unknown): void {
    this._responded = true;
    if (result !== null && typeof result === 'object') {
      const usage = (result as { usage?: unknown }).usage;
      if (usage !== null && typeof usage === 'object') this._usage = usage;
      this.responseModel((result as { model?: unknown }).model);
    }
    this._end(undefined);
  }

  /** The call or its stream threw `error`. */
  fail(error: unknown): void {
    this._end(failureOf(error, this._start.signal));
  }

  /** The stream ended: success if its final event came, else cut (or aborted through the signal). */
  streamEnded(): void {
    if (this._hasFailure) this._end(failureOf(this._failure, this._start.signal));
    else if (this._completed) this._end(undefined);
    else if (this._start.signal?.aborted === true) this._end(abandoned(this._start.signal));
    else this._end({ status: 'error', errorType: 'connection' });
  }

  /** The caller stopped reading the stream (or it was garbage-collected unread). */
  abandoned(): void {
    // A consumer that stops right after the final event (but before the usage chunk) read it all.
    if (this._completed && !this._hasFailure) this._end(undefined);
    else this._end(abandoned(this._start.signal));
  }

  /** Whether the call was recorded. */
  get ended(): boolean {
    return this._ended;
  }

  private _end(failure: Failure | undefined): void {
    if (this._ended) return;
    this._ended = true;
    try {
      const call = this._record(failure);
      this._context(() => this._sink.record(call, this._start.operation));
    } catch (err) {
      logger.reportOnce('record', 'failed to record an LLM call', err);
    }
  }

  private _record(failure: Failure | undefined): LlmCallRecord {
    const usage: TokenCounts | undefined = this._usage === undefined ? undefined : readUsage(this._usage);
    const { provider, model } = this._start;
    return {
      provider,
      model,
      status: failure?.status ?? 'success',
      durationSeconds: (performance.now() - this._startTime) / 1000,
      ...(failure !== undefined && { errorType: failure.errorType }),
      ...(this._responseModel !== undefined && { responseModel: this._responseModel }),
      ...(this._firstTokenSeconds !== undefined && { timeToFirstTokenSeconds: this._firstTokenSeconds }),
      ...(usage !== undefined
        ? { usage }
        : (this._responded || failure === undefined) && { usage: 'unreported' as const }),
    };
  }
}
