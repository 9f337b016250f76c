import type { StreamReader } from './internal-types';

interface ChatChunk {
  readonly model?: unknown;
  readonly usage?: unknown;
  readonly choices?: ReadonlyArray<{ readonly delta?: Record<string, unknown>; readonly finish_reason?: unknown }>;
}

/**
 * Chat Completions chunks: the first delta with content (text, tool call, refusal, reasoning)
 * is the first token; a `finish_reason` is the final event; the usage comes in a last chunk
 * with no choices, only when the request set `stream_options.include_usage`.
 */
export const readChatChunk: StreamReader = (event, progress) => {
  const chunk = event as ChatChunk;
  if (chunk === null || typeof chunk !== 'object') return;
  progress.responseModel(chunk.model);
  if (chunk.usage !== null && typeof chunk.usage === 'object') progress.usage(chunk.usage);
  for (const choice of chunk.choices ?? []) {
    if (choice.delta !== undefined && hasContent(choice.delta)) progress.firstToken();
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) progress.completed();
  }
};

function hasContent(delta: Record<string, unknown>): boolean {
  for (const key in delta) {
    if (key === 'role') continue;
    const value = delta[key];
    if (typeof value === 'string' ? value !== '' : Array.isArray(value) ? value.length > 0 : value != null) return true;
  }
  return false;
}

interface ResponsesEvent {
  readonly type?: unknown;
  readonly response?: { readonly model?: unknown; readonly usage?: unknown; readonly error?: unknown };
}

/**
 * Responses API events: any `*.delta` is a token; `response.completed` (or `.incomplete`, cut
 * by `max_output_tokens`) is the final event and carries the usage; `response.failed` fails it.
 */
export const readResponsesEvent: StreamReader = (event, progress) => {
  const { type, response } = (event ?? {}) as ResponsesEvent;
  if (typeof type !== 'string') return;
  if (type.endsWith('.delta')) progress.firstToken();
  if (response === undefined || response === null) return;
  progress.responseModel(response.model);
  if (response.usage !== null && typeof response.usage === 'object') progress.usage(response.usage);
  if (type === 'response.completed' || type === 'response.incomplete') progress.completed();
  else if (type === 'response.failed') progress.failed(response.error ?? { type: 'api_error' });
};
