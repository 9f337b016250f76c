import type { LlmCall } from './LlmCall';
import { logger } from './logger';

/**
 * The parts of the SDKs' `APIPromise` (openai and @anthropic-ai/sdk alike) observed here. Both
 * set these two fields in their constructor and read them through `this` whenever they parse
 * (`then`, `withResponse()`) or hand out the raw response (`asResponse()`, `_thenUnwrap`).
 */
interface ApiPromiseFields {
  responsePromise: Promise<unknown>;
  parseResponse: (client: unknown, props: unknown) => Promise<unknown> | unknown;
}

/**
 * Observes an SDK call through the promise the SDK returns, which the caller receives itself:
 * - `responsePromise` (the response once its headers arrived, after the SDK's retries) is
 *   replaced by a promise that settles the same way, with the same value or error object, after
 *   the call noted it. A failure nobody awaits is still reported by Node as unhandled, as it
 *   would be without us.
 * - `parseResponse` (run when the caller parses: `await`, `withResponse()`) is wrapped, so the
 *   parsed body (JSON or the SDK's stream) goes to `onBody` on its way to the caller.
 * A response read only through `asResponse()` is never parsed by us: the call is recorded when
 * its headers arrive, without usage.
 *
 * Returns false when the promise does not have those fields (an SDK version that changed them):
 * the call is then not observed, and the promise is left untouched.
 */
export function observeApiPromise(promise: unknown, call: LlmCall, onBody: (body: unknown) => void): boolean {
  const fields = promise as Partial<ApiPromiseFields> | null;
  if (
    fields === null ||
    typeof fields !== 'object' ||
    typeof fields.parseResponse !== 'function' ||
    typeof fields.responsePromise?.then !== 'function'
  ) {
    return false;
  }
  const parseResponse = fields.parseResponse;
  let parsing = false;
  fields.parseResponse = async function (this: unknown, ...args: [unknown, unknown]) {
    parsing = true;
    let body: unknown;
    try {
      body = await parseResponse.apply(this, args);
    } catch (error) {
      call.fail(error);
      throw error;
    }
    try {
      onBody(body);
    } catch (err) {
      logger.reportOnce('body', 'failed to observe an LLM response', err);
    }
    return body;
  };
  fields.responsePromise = fields.responsePromise.then(
    (props) => {
      // The caller's parse (if any) starts in the microtasks that follow: by the next turn of the
      // event loop it has, or the response is read raw (`asResponse()`).
      setImmediate(() => {
        if (!parsing) call.succeed(undefined);
      });
      return props;
    },
    (error: unknown) => {
      call.fail(error);
      throw error;
    },
  );
  return true;
}
