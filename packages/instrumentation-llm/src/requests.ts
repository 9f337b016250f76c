import type { StreamReader } from './internal-types';
import { messageStreamReader } from './anthropicStreams';
import { readChatChunk, readResponsesEvent } from './openaiStreams';
import type { CallDescription } from './patchCall';

/** The request body and options of an SDK method (`create(body, options)`). */
interface Request {
  readonly body: { readonly model?: unknown; readonly stream?: unknown; readonly stream_options?: unknown };
  readonly options: { readonly signal?: unknown } | undefined;
}

function requestOf(args: readonly unknown[]): Request {
  const body = args[0];
  const options = args[1];
  return {
    body: body !== null && typeof body === 'object' ? body : {},
    options: options !== null && typeof options === 'object' ? options : undefined,
  };
}

function modelOf(request: Request): string {
  const { model } = request.body;
  return typeof model === 'string' && model !== '' ? model : 'unknown';
}

function signalOf(value: unknown): AbortSignal | undefined {
  return typeof AbortSignal !== 'undefined' && value instanceof AbortSignal ? value : undefined;
}

/** `gen_ai.provider.name` of an OpenAI client: Azure's client is a subclass of OpenAI's. */
function openAiProvider(resource: unknown): string {
  const client = (resource as { _client?: { constructor?: { name?: string } } } | null)?._client;
  return client?.constructor?.name === 'AzureOpenAI' ? 'azure.ai.openai' : 'openai';
}

/**
 * `chat.completions.create` and `responses.create` of openai. With `includeUsage`, a streamed
 * request that does not say otherwise gets `stream_options: { include_usage: true }`.
 */
export function describeOpenAiCall(reader: StreamReader, includeUsage: boolean) {
  return (self: unknown, args: unknown[]): CallDescription => {
    const request = requestOf(args);
    const stream = request.body.stream === true;
    const withUsage = includeUsage && stream && request.body.stream_options === undefined;
    return {
      provider: openAiProvider(self),
      model: modelOf(request),
      operation: 'chat',
      signal: signalOf(request.options?.signal),
      stream,
      reader: () => reader,
      ...(withUsage && { args: [{ ...request.body, stream_options: { include_usage: true } }, ...args.slice(1)] }),
    };
  };
}

/** The chat readers of openai, by resource. */
export const OPENAI_READERS = { chat: readChatChunk, responses: readResponsesEvent } as const;

/** `embeddings.create` of openai. */
export function describeOpenAiEmbeddings(self: unknown, args: unknown[]): CallDescription {
  const request = requestOf(args);
  return {
    provider: openAiProvider(self),
    model: modelOf(request),
    operation: 'embeddings',
    signal: signalOf(request.options?.signal),
    stream: false,
  };
}

/**
 * `messages.create` of @anthropic-ai/sdk. `messages.stream()` calls it with a signal of its own,
 * which it aborts (without a reason) when the caller's signal aborts: the caller's signal is
 * handed over through `streamSignal`, set while `messages.stream()` runs.
 */
export function describeAnthropicMessage(streamSignal: () => AbortSignal | undefined) {
  return (_self: unknown, args: unknown[]): CallDescription => {
    const request = requestOf(args);
    return {
      provider: 'anthropic',
      model: modelOf(request),
      operation: 'chat',
      signal: streamSignal() ?? signalOf(request.options?.signal),
      stream: request.body.stream === true,
      reader: messageStreamReader,
    };
  };
}
