/**
 * Synthetic traffic: the demo calls its own API over HTTP, so every metric family gets samples
 * through the real instrumentation, not through shortcuts. It uses `node:http` rather than
 * `fetch` so the outgoing calls show in http_client_request_duration_seconds too.
 */
import { Agent, request } from 'node:http';

const TIERS = ['free', 'basic', 'premium'];

interface Call {
  readonly method: string;
  readonly path: () => string;
  readonly body?: () => unknown;
}

const AGENT_CALL: Call = {
  method: 'POST',
  path: () => `/api/v1/agents/${1 + randomInt(3)}/execute`,
  body: () => ({ input: 'resolve ticket' }),
};

const CALLS: readonly Call[] = [
  { method: 'GET', path: () => '/api/v1/marketplace/packages' },
  { method: 'GET', path: () => `/api/v1/marketplace/packages/${1 + randomInt(4)}` },
  AGENT_CALL,
  { method: 'POST', path: () => `/api/v1/agents/${1 + randomInt(3)}/execute`, body: () => ({ input: 'review code' }) },
  // Mostly ids that exist: the unique_violation shows in db_errors_total.
  {
    method: 'POST',
    path: () => '/api/v1/marketplace/packages',
    body: () => ({ id: 1 + randomInt(3), name: 'copy', priceUsd: 10 }),
  },
  { method: 'POST', path: () => '/api/v1/customers', body: () => ({ email: `user${randomInt(1e6)}@example.com` }) },
  { method: 'GET', path: () => `/api/v1/customers/${1 + randomInt(50)}` },
  {
    method: 'POST',
    path: () => '/api/v1/auth/login',
    body: () => ({ password: Math.random() < 0.7 ? 'correct horse battery staple' : 'guess' }),
  },
  { method: 'GET', path: () => `/api/v1/unknown/${randomInt(1e9).toString(36)}` },
];

/** A client that bursts past the free tier's limit (5 a second), so rate limits get hit. */
const NOISY_CLIENT_BURST = 8;

/**
 * Starts sending a few requests every 100 ms, and a burst from a noisy free-tier client every
 * 2 s; returns a function that stops it.
 */
export function startTraffic(baseUrl: string): () => void {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const send = (call: Call, tier: string): void => {
    const body = call.body === undefined ? undefined : JSON.stringify(call.body());
    const req = request(baseUrl + call.path(), {
      agent,
      method: call.method,
      headers: { 'content-type': 'application/json', 'x-tier': tier },
    });
    req.on('response', (res) => res.resume());
    req.on('error', () => undefined); // the server's own metrics record what went wrong
    req.end(body);
  };
  const steady = setInterval(() => {
    for (let i = 0; i < 3; i++) send(CALLS[randomInt(CALLS.length)]!, TIERS[randomInt(TIERS.length)]!);
  }, 100);
  const bursts = setInterval(() => {
    for (let i = 0; i < NOISY_CLIENT_BURST; i++) send(AGENT_CALL, 'free');
  }, 2000);
  steady.unref();
  bursts.unref();
  return () => {
    clearInterval(steady);
    clearInterval(bursts);
    agent.destroy();
  };
}

function randomInt(below: number): number {
  return Math.floor(Math.random() * below);
}
