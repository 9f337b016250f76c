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

const CALLS: readonly Call[] = [
  { method: 'GET', path: () => '/api/v1/marketplace/packages' },
  { method: 'GET', path: () => `/api/v1/marketplace/packages/${1 + randomInt(4)}` },
  { method: 'POST', path: () => `/api/v1/agents/${1 + randomInt(3)}/execute`, body: () => ({ input: 'resolve ticket' }) },
  { method: 'POST', path: () => `/api/v1/agents/${1 + randomInt(3)}/execute`, body: () => ({ input: 'review code' }) },
  // Mostly ids that exist: the unique_violation shows in db_errors_total.
  { method: 'POST', path: () => '/api/v1/marketplace/packages', body: () => ({ id: 1 + randomInt(3), name: 'copy', priceUsd: 10 }) },
  { method: 'POST', path: () => '/api/v1/customers', body: () => ({ email: `user${randomInt(1e6)}@example.com` }) },
  { method: 'GET', path: () => `/api/v1/customers/${1 + randomInt(50)}` },
  { method: 'POST', path: () => '/api/v1/auth/login', body: () => ({ password: Math.random() < 0.7 ? 'correct horse battery staple' : 'guess' }) },
  { method: 'GET', path: () => `/api/v1/unknown/${randomInt(1e9).toString(36)}` },
];

/** Starts sending a few requests every 100 ms; returns a function that stops it. */
export function startTraffic(baseUrl: string): () => void {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const timer = setInterval(() => {
    for (let i = 0; i < 3; i++) {
      const call = CALLS[randomInt(CALLS.length)]!;
      const body = call.body === undefined ? undefined : JSON.stringify(call.body());
      const req = request(baseUrl + call.path(), {
        agent,
        method: call.method,
        headers: { 'content-type': 'application/json', 'x-tier': TIERS[randomInt(TIERS.length)]! },
      });
      req.on('response', (res) => res.resume());
      req.on('error', () => undefined); // the server's own metrics record what went wrong
      req.end(body);
    }
  }, 100);
  timer.unref();
  return () => {
    clearInterval(timer);
    agent.destroy();
  };
}

function randomInt(below: number): number {
  return Math.floor(Math.random() * below);
}
