import { classifyLlmError, type LlmErrorType } from '../src';

// Named like the Anthropic/OpenAI SDK classes, which do not all set `name`.
class RateLimitError extends Error {}
class APIConnectionTimeoutError extends Error {}
class APIConnectionError extends Error {}

const withProps = (props: object, message = 'provider error') => Object.assign(new Error(message), props);

const cases: Array<[string, unknown, LlmErrorType]> = [
  ['status 429', withProps({ status: 429 }), 'rate_limit'],
  ['statusCode 429', withProps({ statusCode: 429 }), 'rate_limit'],
  ['response.status 429 (axios)', withProps({ response: { status: 429 } }), 'rate_limit'],
  ['response.statusCode 429 (got)', withProps({ response: { statusCode: 429 } }), 'rate_limit'],
  ['$metadata.httpStatusCode 429 (AWS Bedrock)', withProps({ $metadata: { httpStatusCode: 429 } }), 'rate_limit'],
  ['status as a string', withProps({ status: '429' }), 'rate_limit'],
  ['status 401', withProps({ status: 401 }), 'auth'],
  ['status 403', withProps({ status: 403 }), 'auth'],
  ['status 408', withProps({ status: 408 }), 'timeout'],
  ['status 500', withProps({ status: 500 }), 'server_error'],
  ['status 503', withProps({ status: 503 }), 'server_error'],
  ['status 529 (Anthropic overloaded)', withProps({ status: 529 }), 'overloaded'],
  ['Anthropic overloaded_error in a stream (no status)', withProps({ type: 'overloaded_error' }), 'overloaded'],
  [
    'APIUserAbortError caused by AbortSignal.timeout()',
    Object.assign(withProps({ name: 'APIUserAbortError' }), {
      cause: new DOMException('signal timed out', 'TimeoutError'),
    }),
    'timeout',
  ],
  ['APIUserAbortError (no cause)', withProps({ name: 'APIUserAbortError' }), 'cancelled'],
  [
    'the Vercel AI SDK RetryError: its last error',
    withProps({ name: 'AI_RetryError', lastError: withProps({ statusCode: 429 }) }),
    'rate_limit',
  ],
  ['status 400', withProps({ status: 400 }), 'other'],
  ['status 404 wins over a connection code', withProps({ status: 404, code: 'ECONNRESET' }), 'other'],
  ['status 0 is no status', withProps({ status: 0, code: 'ECONNREFUSED' }), 'connection'],
  ['name RateLimitError (constructor name)', new RateLimitError('slow down'), 'rate_limit'],
  ['name ThrottlingException (AWS)', withProps({ name: 'ThrottlingException' }), 'rate_limit'],
  ['name AuthenticationError', withProps({ name: 'AuthenticationError' }), 'auth'],
  ['name TimeoutError (AbortSignal.timeout)', new DOMException('signal timed out', 'TimeoutError'), 'timeout'],
  ['APIConnectionTimeoutError (SDK)', new APIConnectionTimeoutError('Request timed out.'), 'timeout'],
  ['APIConnectionError (SDK)', new APIConnectionError('Connection error.'), 'connection'],
  ['code ETIMEDOUT (opossum, sockets)', withProps({ code: 'ETIMEDOUT' }), 'timeout'],
  ['code UND_ERR_HEADERS_TIMEOUT (undici)', withProps({ code: 'UND_ERR_HEADERS_TIMEOUT' }), 'timeout'],
  ['code ECONNREFUSED', withProps({ code: 'ECONNREFUSED' }), 'connection'],
  ['code ECONNRESET', withProps({ code: 'ECONNRESET' }), 'connection'],
  ['code ENOTFOUND', withProps({ code: 'ENOTFOUND' }), 'connection'],
  ['code EAI_AGAIN', withProps({ code: 'EAI_AGAIN' }), 'connection'],
  ['code EPIPE', withProps({ code: 'EPIPE' }), 'connection'],
  ['code rate_limit_exceeded (OpenAI body)', withProps({ code: 'rate_limit_exceeded' }), 'rate_limit'],
  [
    'fetch failed, cause ECONNREFUSED',
    new TypeError('fetch failed', { cause: withProps({ code: 'ECONNREFUSED' }) }),
    'connection',
  ],
  [
    'fetch failed, cause ConnectTimeoutError',
    new TypeError('fetch failed', { cause: withProps({ name: 'ConnectTimeoutError' }) }),
    'timeout',
  ],
  [
    'cause three levels deep',
    new Error('a', { cause: new Error('b', { cause: new Error('c', { cause: withProps({ status: 429 }) }) }) }),
    'rate_limit',
  ],
  [
    'cause four levels deep is not followed',
    new Error('a', {
      cause: new Error('b', {
        cause: new Error('c', { cause: new Error('d', { cause: withProps({ status: 429 }) }) }),
      }),
    }),
    'other',
  ],
  ['AbortError (the caller aborted)', new DOMException('aborted', 'AbortError'), 'cancelled'],
  ['a plain Error', new Error('something'), 'other'],
  ['a string', 'rate limited', 'other'],
  ['undefined', undefined, 'other'],
  ['null', null, 'other'],
  ['a name that is an Object.prototype key', withProps({ name: 'constructor' }), 'other'],
  [
    'a throwing getter',
    Object.defineProperty(new Error('x'), 'status', {
      get: () => {
        throw new Error('getter');
      },
    }),
    'other',
  ],
  [
    'a revoked proxy',
    (() => {
      const p = Proxy.revocable({}, {});
      p.revoke();
      return p.proxy;
    })(),
    'other',
  ],
];

test.each(cases)('%s → %s', (_, error, expected) => {
  expect(classifyLlmError(error)).toBe(expected);
});
