/**
 * A simulated LLM provider on 127.0.0.1, speaking the Anthropic Messages and OpenAI Chat
 * Completions wire formats (JSON and server-sent events), so the demo's agents call it through
 * the real `@anthropic-ai/sdk` and `openai` clients: 50-400 ms answers streamed in a few events,
 * ~5% 429s, ~2% answers too slow for the client's timeout, ~1% 529 overloaded, prompt-cache hits,
 * and a 6 s outage (503) every 30 s that drives the circuit breaker open, half-open and closed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const FIRST_OUTAGE_MS = 2000;
const OUTAGE_MS = 6000;
const OUTAGE_EVERY_MS = 30_000;
/** Longer than the clients' timeout (agents.ts): the call times out. */
const TOO_SLOW_MS = 5000;
const WORDS = ['Resolved:', ' the', ' ticket', ' was', ' routed', ' to', ' billing', '.'];

export interface SimulatedProvider {
  readonly url: string;
  close(): void;
}

export async function startSimulatedProvider(): Promise<SimulatedProvider> {
  let firstCall: number | undefined;
  const inOutage = (now: number): boolean => {
    firstCall ??= now;
    const since = now - firstCall - FIRST_OUTAGE_MS;
    return since >= 0 && since % OUTAGE_EVERY_MS < OUTAGE_MS;
  };
  const server = createServer((req, res) => void answer(req, res));
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const anthropic = req.url?.startsWith('/v1/messages') === true;
    const roll = Math.random();
    await sleep(roll < 0.02 ? TOO_SLOW_MS : 50 + Math.random() * 350);
    if (res.destroyed) return;
    if (inOutage(Date.now())) return fail(res, anthropic, 503, 'api_error');
    if (roll < 0.07 && roll >= 0.02) return fail(res, anthropic, 429, 'rate_limit_error');
    if (roll < 0.08 && roll >= 0.07) return fail(res, anthropic, 529, 'overloaded_error');
    const usage = randomUsage();
    const model = String(body['model']);
    if (anthropic) answerMessage(res, model, usage, body['stream'] === true);
    else answerChat(res, model, usage, body['stream'] === true, body['stream_options']?.include_usage === true);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

interface Usage {
  readonly uncached: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly output: number;
}

function randomUsage(): Usage {
  const cached = Math.random() < 0.6;
  return {
    uncached: 200 + Math.floor(Math.random() * 800),
    cacheRead: cached ? 2000 : 0,
    cacheWrite: cached ? 0 : 2000,
    output: 50 + Math.floor(Math.random() * 400),
  };
}

function answerMessage(res: ServerResponse, model: string, usage: Usage, stream: boolean): void {
  const counts = {
    input_tokens: usage.uncached,
    cache_read_input_tokens: usage.cacheRead,
    cache_creation_input_tokens: usage.cacheWrite,
    output_tokens: usage.output,
  };
  const message = { id: 'msg_demo', type: 'message', role: 'assistant', model, stop_sequence: null };
  if (!stream) {
    const content = [{ type: 'text', text: WORDS.join('') }];
    return json(res, { ...message, content, stop_reason: 'end_turn', usage: counts });
  }
  sse(res, [
    [
      'message_start',
      { message: { ...message, content: [], stop_reason: null, usage: { ...counts, output_tokens: 1 } } },
    ],
    ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
    ...WORDS.map((text) => ['content_block_delta', { index: 0, delta: { type: 'text_delta', text } }] as const),
    ['content_block_stop', { index: 0 }],
    [
      'message_delta',
      { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output } },
    ],
    ['message_stop', {}],
  ]);
}

function answerChat(res: ServerResponse, model: string, usage: Usage, stream: boolean, includeUsage: boolean): void {
  // OpenAI's prompt tokens include the cached ones; it reports no cache writes.
  const counts = {
    prompt_tokens: usage.uncached + usage.cacheRead,
    completion_tokens: usage.output,
    total_tokens: usage.uncached + usage.cacheRead + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cacheRead },
  };
  const base = { id: 'chatcmpl-demo', created: Math.floor(Date.now() / 1000), model };
  if (!stream) {
    const message = { role: 'assistant', content: WORDS.join(''), refusal: null };
    return json(res, {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message, finish_reason: 'stop' }],
      usage: counts,
    });
  }
  const chunk = (delta: object, finish: string | null = null) => ({
    ...base,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  sse(res, [
    [undefined, chunk({ role: 'assistant', content: '' })],
    ...WORDS.map((content) => [undefined, chunk({ content })] as const),
    [undefined, chunk({}, 'stop')],
    ...(includeUsage
      ? [[undefined, { ...base, object: 'chat.completion.chunk', choices: [], usage: counts }] as const]
      : []),
    [undefined, '[DONE]'],
  ]);
}

/** Sends `events` 20 ms apart, as a provider streams tokens. */
function sse(res: ServerResponse, events: ReadonlyArray<readonly [string | undefined, unknown]>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let i = 0;
  const next = (): void => {
    if (res.destroyed) return;
    const event = events[i++];
    if (event === undefined) return void res.end();
    const [name, data] = event;
    const payload =
      typeof data === 'string' ? data : JSON.stringify(name === undefined ? data : { type: name, ...(data as object) });
    res.write(`${name === undefined ? '' : `event: ${name}\n`}data: ${payload}\n\n`);
    setTimeout(next, 20);
  };
  next();
}

function fail(res: ServerResponse, anthropic: boolean, status: number, type: string): void {
  const message = `simulated ${status}`;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify(anthropic ? { type: 'error', error: { type, message } } : { error: { message, type, code: null } }),
  );
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text) as Record<string, any>;
  } catch {
    return {};
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
