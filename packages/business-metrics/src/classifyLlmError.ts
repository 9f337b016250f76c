import type { LlmErrorType } from './types';

// Error class names of the Anthropic and OpenAI SDKs (which share them), undici, the DOM
// (AbortSignal.timeout) and the AWS SDK (Bedrock). SDK classes do not all set `name`, so the
// constructor's name is read too. Aborts are in ABORT_NAMES.
const NAMES: Readonly<Record<string, LlmErrorType>> = {
  RateLimitError: 'rate_limit',
  ThrottlingException: 'rate_limit',
  TooManyRequestsException: 'rate_limit',
  AuthenticationError: 'auth',
  PermissionDeniedError: 'auth',
  AccessDeniedException: 'auth',
  UnrecognizedClientException: 'auth',
  TimeoutError: 'timeout',
  APIConnectionTimeoutError: 'timeout',
  ConnectTimeoutError: 'timeout',
  HeadersTimeoutError: 'timeout',
  BodyTimeoutError: 'timeout',
  APIConnectionError: 'connection',
  OverloadedError: 'overloaded',
  InternalServerError: 'server_error',
  ServiceUnavailableException: 'server_error',
  InternalServerException: 'server_error',
};

// `code` values: Node's system errors, undici's, and the error codes providers put in the body.
const CODES: Readonly<Record<string, LlmErrorType>> = {
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ECONNREFUSED: 'connection',
  ECONNRESET: 'connection',
  ECONNABORTED: 'connection',
  ENOTFOUND: 'connection',
  EAI_AGAIN: 'connection',
  EHOSTUNREACH: 'connection',
  EHOSTDOWN: 'connection',
  ENETUNREACH: 'connection',
  ENETDOWN: 'connection',
  EPIPE: 'connection',
  UND_ERR_SOCKET: 'connection',
  rate_limit_exceeded: 'rate_limit',
  rate_limit_error: 'rate_limit',
  authentication_error: 'auth',
  permission_error: 'auth',
  invalid_api_key: 'auth',
  overloaded_error: 'overloaded',
  api_error: 'server_error',
};

// A caller's abort: cancelled, unless its cause (the signal's reason, which the SDKs attach) says
// why, e.g. the TimeoutError of `AbortSignal.timeout()`.
const ABORT_NAMES = new Set(['AbortError', 'APIUserAbortError']);

// A fetch failure is a `TypeError('fetch failed')` whose cause holds the socket error.
const MAX_CAUSE_DEPTH = 3;

/**
 * Classifies an error thrown by an LLM provider call for the `error_type` label:
 *
 * 1. an HTTP status (`status`, `statusCode`, `response.status`, `response.statusCode`,
 *    `$metadata.httpStatusCode`): 429 `rate_limit`, 401 and 403 `auth`, 408 `timeout`, 529
 *    `overloaded`, other 5xx `server_error`, any other status `other`;
 * 2. else an abort (`AbortError`, `APIUserAbortError`): its `cause` classified (the
 *    `TimeoutError` of `AbortSignal.timeout()` is `timeout`), else `cancelled`;
 * 3. else the error's `name` or constructor name (`RateLimitError`, `TimeoutError`, ...);
 * 4. else its `code` or `type` (`ETIMEDOUT` `timeout`; `ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`,
 *    ... `connection`; Anthropic's `overloaded_error` `overloaded`);
 * 5. else the same for its `lastError` (the Vercel AI SDK's `RetryError`) or its `cause`, up to
 *    three levels deep;
 * 6. else `other`.
 *
 * Never throws, whatever it is given.
 */
export function classifyLlmError(error: unknown): LlmErrorType {
  return classifyFrom(error, 0);
}

function classifyFrom(error: unknown, startDepth: number): LlmErrorType {
  try {
    let current = error;
    for (let depth = startDepth; depth <= MAX_CAUSE_DEPTH; depth++) {
      if (current === null || typeof current !== 'object') return 'other';
      const shape = current as ErrorShape;
      if (isAbort(shape)) {
        const why = classifyFrom(shape.cause, depth + 1);
        return why === 'other' ? 'cancelled' : why;
      }
      const found = classifyOne(shape);
      if (found !== undefined) return found;
      current = shape.lastError ?? shape.cause;
    }
  } catch {
    // A throwing getter or a revoked proxy: nothing more can be learnt from this error.
  }
  return 'other';
}

interface ErrorShape {
  readonly status?: unknown;
  readonly statusCode?: unknown;
  readonly response?: { readonly status?: unknown; readonly statusCode?: unknown } | null;
  readonly $metadata?: { readonly httpStatusCode?: unknown } | null;
  readonly name?: unknown;
  readonly code?: unknown;
  readonly type?: unknown;
  readonly cause?: unknown;
  readonly lastError?: unknown;
}

function isAbort(error: ErrorShape): boolean {
  return ABORT_NAMES.has(String(error.name)) || ABORT_NAMES.has(String((error as object).constructor?.name));
}

function classifyOne(error: ErrorShape): LlmErrorType | undefined {
  const status = httpStatus(error);
  if (status !== undefined) return classifyStatus(status);
  return (
    lookup(NAMES, error.name) ??
    lookup(NAMES, (error as object).constructor?.name) ??
    lookup(CODES, error.code) ??
    // Anthropic's errors in a stream carry no status, only the error's `type`.
    lookup(CODES, error.type)
  );
}

function httpStatus(error: ErrorShape): number | undefined {
  for (const candidate of [
    error.status,
    error.statusCode,
    error.response?.status,
    error.response?.statusCode,
    error.$metadata?.httpStatusCode,
  ]) {
    const status = typeof candidate === 'string' ? Number(candidate) : candidate;
    // Some clients put 0 or a non-HTTP number here for network failures: those are not statuses.
    if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599) return status;
  }
  return undefined;
}

function classifyStatus(status: number): LlmErrorType {
  if (status === 429) return 'rate_limit';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status === 529) return 'overloaded';
  if (status >= 500) return 'server_error';
  return 'other';
}

function lookup(table: Readonly<Record<string, LlmErrorType>>, key: unknown): LlmErrorType | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}
