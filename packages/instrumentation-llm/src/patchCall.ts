import { isInsideTrackedLlmCall } from '@agent-telemetry/business-metrics';
import type { CallSink, StreamReader } from './internal-types';
import { LlmCall, type CallStart } from './LlmCall';
import { logger } from './logger';
import { observeApiPromise } from './observeApiPromise';
import { observeStream } from './observeStream';

/** A method of an SDK resource (`create`). */
export type SdkMethod = (this: unknown, ...args: unknown[]) => unknown;

/** What one patched method's call is, read from its arguments (and `this`, the resource). */
export interface CallDescription extends CallStart {
  /** Whether the request asked for a stream (`stream: true`). */
  readonly stream: boolean;
  /** A reader of this call's stream events (a new one per call: readers keep state). */
  readonly reader?: () => StreamReader;
  /** The arguments to call the SDK with, when the call changes them (the opt-in `include_usage`). */
  readonly args?: unknown[];
}

/** Where the patches find the current sink; undefined while the instrumentation is disabled. */
export interface SinkHost {
  readonly sink: CallSink | undefined;
}

/**
 * Wraps an SDK method that returns an `APIPromise`: the caller receives the very promise the
 * SDK returned (and, from it, the SDK's own stream object), observed as {@link observeApiPromise}
 * and {@link observeStream} describe. Our own failures are reported once and never reach the
 * caller; the SDK's errors reach it unchanged. Inside a `trackLlmCall` wrapper the method runs
 * unobserved: the wrapper records the call.
 */
export function patchCall(
  host: SinkHost,
  describe: (self: unknown, args: unknown[]) => CallDescription,
): (original: SdkMethod) => SdkMethod {
  return (original) =>
    function patched(this: unknown, ...args: unknown[]): unknown {
      const sink = host.sink;
      if (sink === undefined || isInsideTrackedLlmCall()) return original.apply(this, args);
      let call: LlmCall;
      let description: CallDescription;
      try {
        description = describe(this, args);
        call = new LlmCall(sink, description);
      } catch (err) {
        logger.reportOnce('start', 'failed to start recording an LLM call; it runs unrecorded', err);
        return original.apply(this, args);
      }
      let result: unknown;
      try {
        result = original.apply(this, description.args ?? args);
      } catch (error) {
        call.fail(error);
        throw error;
      }
      try {
        const reader = description.stream ? description.reader : undefined;
        const observed = observeApiPromise(result, call, (body) =>
          reader === undefined ? call.succeed(body) : observeStream(body, call, reader()),
        );
        if (!observed) logger.reportOnce('shape', 'an LLM SDK call returned no APIPromise; it is not recorded');
      } catch (err) {
        logger.reportOnce('observe', 'failed to observe an LLM call', err);
      }
      return result;
    };
}
