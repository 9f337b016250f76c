import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local LLM provider speaking the OpenAI (Chat Completions, Responses, Embeddings) and
 * Anthropic (Messages) wire formats, JSON and server-sent events, for the real SDKs to talk to.
 * Tests script the next answers in order (`script(...)`); an unscripted request gets the
 * provider's normal answer. Usage figures are fixed per API (below), so expositions are exact.
 */
export interface LlmProvider {
  /** `http://127.0.0.1:<port>` (OpenAI's SDK wants `${url}/v1`, Anthropic's `url`). */
  readonly url: string;
  /** The request bodies received, in order. */
  readonly requests: Array<{ path: string; body: Record<string, any> }>;
  /** Queues answers for the next requests, in order. */
  script(...answers: Answer[]): void;
  /** Drops the answers not used yet (a request a test aborted before it was sent). */
  reset(): void;
  close(): Promise<void>;
}

/** How the provider answers one request. */
export type Answer =
  | { readonly kind: 'normal'; readonly model?: string; readonly usage?: Record<string, unknown> }
  | { readonly kind: 'error'; readonly status: number; readonly type?: string }
  /** The stream is cut (socket destroyed) after `events` events; `events: 0` right after the headers. */
  | { readonly kind: 'cut'; readonly events: number }
  /** Headers are never sent. */
  | { readonly kind: 'hang' }
  /** An Anthropic stream that sends an `error` event (overloaded) after its first events. */
  | { readonly kind: 'stream-error' };

export const normal = (model?: string, usage?: Record<string, unknown>): Answer => ({ kind: 'normal', model, usage });
export const failWith = (status: number, type?: string): Answer => ({ kind: 'error', status, type });
export const cutAfter = (events: number): Answer => ({ kind: 'cut', events });
export const hang: Answer = { kind: 'hang' };
export const streamError: Answer = { kind: 'stream-error' };

/** The usage each API reports unless scripted otherwise: cached and reasoning tokens included. */
export const CHAT_USAGE = {
  prompt_tokens: 1200,
  completion_tokens: 300,
  total_tokens: 1500,
  prompt_tokens_details: { cached_tokens: 1000 },
  completion_tokens_details: { reasoning_tokens: 100 },
};
const RESPONSES_USAGE = {
  input_tokens: 800,
  input_tokens_details: { cached_tokens: 200 },
  output_tokens: 150,
  output_tokens_details: { reasoning_tokens: 50 },
  total_tokens: 950,
};
const EMBEDDINGS_USAGE = { prompt_tokens: 8, total_tokens: 8 };
const MESSAGES_USAGE = {
  input_tokens: 100,
  cache_creation_input_tokens: 2000,
  cache_read_input_tokens: 5000,
  output_tokens: 250,
};

const SENTENCE = ['The', ' answer', ' is', ' 42', '.'];

export async function startLlmProvider(): Promise<LlmProvider> {
  const queue: Answer[] = [];
  const requests: LlmProvider['requests'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req, res) => {
    const body = await readJson(req);
    requests.push({ path: req.url ?? '', body });
    answer(queue.shift() ?? { kind: 'normal' }, req.url ?? '', body, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...answers) => void queue.push(...answers),
    reset: () => void queue.splice(0),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text === '' ? {} : JSON.parse(text);
}

function answer(scripted: Answer, path: string, body: Record<string, any>, res: ServerResponse): void {
  const anthropic = path.startsWith('/v1/messages');
  if (scripted.kind === 'hang') return;
  if (scripted.kind === 'error') {
    const type = scripted.type ?? (scripted.status === 429 ? 'rate_limit_error' : 'api_error');
    const error = anthropic
      ? { type: 'error', error: { type, message: `simulated ${scripted.status}` } }
      : { error: { message: `simulated ${scripted.status}`, type, code: null } };
    // Retried at once by the SDKs, so tests of retries take no time.
    res.writeHead(scripted.status, { 'content-type': 'application/json', 'retry-after-ms': '0' });
    res.end(JSON.stringify(error));
    return;
  }
  const model = (scripted.kind === 'normal' && scripted.model) || body['model'];
  const usage = scripted.kind === 'normal' ? scripted.usage : undefined;
  const events = path.startsWith('/v1/chat/completions')
    ? chatCompletion(model, body, usage)
    : path.startsWith('/v1/responses')
      ? response(model, usage)
      : path.startsWith('/v1/embeddings')
        ? embeddings(model, body)
        : message(model, usage, scripted.kind === 'stream-error');
  if (body['stream'] !== true) {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
    res.end(JSON.stringify(events.json));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'req_1' });
  const limit = scripted.kind === 'cut' ? scripted.events : Infinity;
  const stream = events.sse;
  let sent = 0;
  // Events go out one per turn of the event loop, as a provider's do: a consumer can stop reading
  // between two of them.
  const next = (): void => {
    if (res.destroyed) return;
    if (sent >= limit) {
      res.socket?.destroy();
      return;
    }
    const event = stream[sent++];
    if (event === undefined) {
      res.end();
      return;
    }
    res.write(`${event.event === undefined ? '' : `event: ${event.event}\n`}data: ${event.data}\n\n`);
    setTimeout(next, 2);
  };
  next();
}

interface Events {
  readonly json: unknown;
  readonly sse: Array<{ event?: string; data: string }>;
}

function chatCompletion(
  model: string,
  body: Record<string, any>,
  usage = CHAT_USAGE as Record<string, unknown>,
): Events {
  const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1700000000, model };
  const chunk = (delta: object, finish: string | null = null) =>
    JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const sse = [
    { data: chunk({ role: 'assistant', content: '' }) },
    ...SENTENCE.map((text) => ({ data: chunk({ content: text }) })),
    { data: chunk({}, 'stop') },
  ];
  if (body['stream_options']?.include_usage === true)
    sse.push({ data: JSON.stringify({ ...base, choices: [], usage }) });
  sse.push({ data: '[DONE]' });
  return {
    json: {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1700000000,
      model,
      choices: [
        { index: 0, message: { role: 'assistant', content: SENTENCE.join(''), refusal: null }, finish_reason: 'stop' },
      ],
      usage,
    },
    sse,
  };
}

function response(model: string, usage = RESPONSES_USAGE as Record<string, unknown>): Events {
  const done = {
    id: 'resp_1',
    object: 'response',
    created_at: 1700000000,
    model,
    status: 'completed',
    output: [
      {
        type: 'message',
        id: 'msg_1',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: SENTENCE.join(''), annotations: [] }],
      },
    ],
    usage,
  };
  const event = (type: string, data: object) => ({ event: type, data: JSON.stringify({ type, ...data }) });
  return {
    json: done,
    sse: [
      event('response.created', { response: { ...done, status: 'in_progress', output: [], usage: null } }),
      ...SENTENCE.map((delta, i) =>
        event('response.output_text.delta', {
          item_id: 'msg_1',
          output_index: 0,
          content_index: 0,
          delta,
          sequence_number: i + 1,
        }),
      ),
      event('response.completed', { response: done }),
    ],
  };
}

function embeddings(model: string, body: Record<string, any>): Events {
  const vector = [0.25, -0.5, 1];
  const embedding =
    body['encoding_format'] === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
  return {
    json: { object: 'list', data: [{ object: 'embedding', index: 0, embedding }], model, usage: EMBEDDINGS_USAGE },
    sse: [],
  };
}

function message(model: string, usage = MESSAGES_USAGE as Record<string, unknown>, failMidway: boolean): Events {
  const event = (type: string, data: object) => ({ event: type, data: JSON.stringify({ type, ...data }) });
  const start = {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    // As the API does: the input counts up front, the output count grows in message_delta.
    usage: { ...usage, output_tokens: 1 },
  };
  const deltas = SENTENCE.map((text) =>
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
  );
  return {
    json: {
      ...start,
      content: [{ type: 'text', text: SENTENCE.join('') }],
      stop_reason: 'end_turn',
      usage,
    },
    sse: [
      event('message_start', { message: start }),
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ...(failMidway
        ? [
            deltas[0]!,
            {
              event: 'error',
              data: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
            },
          ]
        : [
            ...deltas,
            event('content_block_stop', { index: 0 }),
            event('message_delta', {
              delta: { stop_reason: 'end_turn', stop_sequence: null },
              usage: { output_tokens: usage['output_tokens'] },
            }),
            event('message_stop', {}),
          ]),
    ],
  };
}
