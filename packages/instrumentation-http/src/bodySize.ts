import type { ServerResponse } from 'node:http';
import { kRequestState, type RequestState, type TrackedRequest, type TrackedResponse } from './internal-types';

type Write = ServerResponse['write'];
type End = ServerResponse['end'];

/**
 * Wraps `ServerResponse#write`/`#end` (prototype, once) to count the body bytes a handler writes:
 * the response size of chunked and streamed responses, which carry no `content-length`.
 */
export function countingWrite(original: Write): Write {
  // Rest parameters, so that the original gets exactly the arguments the caller passed.
  return function write(this: TrackedResponse, ...args: Parameters<Write>) {
    addResponseBytes(this, args[0], args[1]);
    return original.apply(this, args);
  } as Write;
}

export function countingEnd(original: End): End {
  return function end(this: TrackedResponse, ...args: Parameters<End>) {
    addResponseBytes(this, args[0], args[1]);
    return original.apply(this, args);
  } as End;
}

function addResponseBytes(response: TrackedResponse, chunk: unknown, encoding: unknown): void {
  const state = response.req?.[kRequestState];
  if (state != null) state.responseBytes += byteLength(chunk, encoding);
}

/**
 * Counts the body of a request sent without `content-length` (chunked): Node's HTTP parser hands
 * each body chunk to the request's `push`. Wrapping it on this one request, rather than reading
 * the stream, leaves flowing mode and back-pressure to the handler.
 */
export function countRequestBody(request: TrackedRequest, state: RequestState): void {
  const push = request.push;
  request.push = function (chunk: unknown, encoding?: BufferEncoding) {
    state.requestBytes += byteLength(chunk, encoding);
    return push.call(this, chunk, encoding);
  };
}

function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') {
    return Buffer.byteLength(chunk, typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8');
  }
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}
