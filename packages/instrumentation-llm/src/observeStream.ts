import type { StreamReader } from './internal-types';
import type { LlmCall } from './LlmCall';
import { logger } from './logger';

/** The parts of the SDKs' `Stream` (openai and @anthropic-ai/sdk alike) observed here. */
interface SdkStream {
  iterator: () => AsyncIterator<unknown>;
  readonly controller?: AbortController;
}

// A stream dropped without being read to its end nor closed (no `break`, no `return()`): its
// call is recorded as cancelled when the stream object is garbage-collected.
const unread = new FinalizationRegistry<LlmCall>((call) => call.abandoned());

/**
 * Measures a streamed call to its end, as the caller reads the SDK's own stream object: the SDKs
 * read events through `stream.iterator()` (iteration, `tee()`, `toReadableStream()` and their
 * helpers all do), so wrapping that one field keeps the object, its class and every event the
 * same. Each event goes to the provider's `reader`; the call ends when the iterator is done
 * (success if the final event came), throws (the error classified), or is closed by the caller
 * (`break`, `return()`: cancelled).
 */
export function observeStream(stream: unknown, call: LlmCall, reader: StreamReader): void {
  const sdkStream = stream as SdkStream;
  if (sdkStream === null || typeof sdkStream !== 'object' || typeof sdkStream.iterator !== 'function') {
    call.fail(new TypeError('the SDK returned no stream'));
    return;
  }
  call.responded();
  unread.register(sdkStream, call, call);
  const original = sdkStream.iterator;
  const ended = (end: () => void): void => {
    unread.unregister(call);
    end();
  };
  const onEvent = (result: IteratorResult<unknown>): IteratorResult<unknown> => {
    if (result.done === true) {
      ended(() => (sdkStream.controller?.signal.aborted === true ? call.abandoned() : call.streamEnded()));
    } else {
      try {
        reader(result.value, call);
      } catch (err) {
        logger.reportOnce('event', 'failed to read an LLM stream event', err);
      }
    }
    return result;
  };
  const onError = (error: unknown): never => {
    ended(() => call.fail(error));
    throw error;
  };
  sdkStream.iterator = function (this: unknown, ...args: unknown[]) {
    const inner = (original as (...a: unknown[]) => AsyncIterator<unknown>).apply(this, args);
    const observed: AsyncIterator<unknown> & AsyncIterable<unknown> = {
      next: (...values: [] | [unknown]) => inner.next(...values).then(onEvent, onError),
      return: (value?: unknown) => {
        if (!call.ended) ended(() => call.abandoned());
        return inner.return === undefined
          ? Promise.resolve({ done: true, value } as IteratorResult<unknown>)
          : inner.return(value);
      },
      throw: (error?: unknown) => {
        if (inner.throw === undefined) return Promise.reject(error);
        return inner.throw(error).then(onEvent, onError);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return observed;
  };
}
