import { metricsCollector } from '@agent-telemetry/business-metrics';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import { createAgents, createLlmClients, isBreakerOpen, RateLimiter, type AgentResult } from './agents';
import { readConfig, type DemoConfig } from './config';
import { startSimulatedProvider } from './simulatedProvider';
import type { MarketplaceTelemetry } from './metrics';
import { Store } from './store';
import { startTraffic } from './traffic';

const TIERS = ['free', 'basic', 'premium'] as const;
const SUBSCRIPTION_USD: Readonly<Record<string, number>> = { free: 0, basic: 19, premium: 99 };

/** Builds the marketplace API. */
export function createApp(
  telemetry: MarketplaceTelemetry,
  store: Store,
  config: DemoConfig,
  runAgent: (packageName: string, tier: string, input: string) => Promise<AgentResult>,
): express.Express {
  const app = express();
  const limiter = new RateLimiter();
  app.use(express.json());

  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.all('/api/v1/metrics', telemetry.metricsHandler); // all methods: the handler answers 405 itself

  // Lets an operator provoke HighErrorRate on purpose (DEMO_ERROR_RATE=1).
  app.use('/api/v1', (_req: Request, res: Response, next: NextFunction) => {
    if (Math.random() < config.errorRate) res.status(500).json({ error: 'injected failure (DEMO_ERROR_RATE)' });
    else next();
  });

  const api = express.Router();
  api.get('/packages', async (_req, res) => void res.json(await store.listPackages()));
  api.get('/packages/:id', async (req, res) => {
    const found = await store.getPackage(Number(req.params['id']));
    if (found) res.json(found);
    else res.status(404).json({ error: 'no such package' });
  });
  api.post('/packages', async (req, res) => {
    const pkg = {
      id: Number(req.body?.id),
      name: String(req.body?.name ?? 'unnamed'),
      priceUsd: Number(req.body?.priceUsd ?? 0),
    };
    try {
      await store.createPackage(pkg);
      res.status(201).json(pkg);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '23505') res.status(409).json({ error: `package ${pkg.id} exists` });
      else res.status(code === 'NO_DATABASE' ? 503 : 500).json({ error: (err as Error).message });
    }
  });
  app.use('/api/v1/marketplace', api);

  app.post('/api/v1/agents/:id/execute', async (req, res) => {
    const tier = tierOf(req);
    if (!limiter.allow(tier)) return void res.status(429).json({ error: 'rate limit exceeded' });
    const agent = await store.getPackage(Number(req.params['id']));
    if (!agent) return void res.status(404).json({ error: 'no such agent package' });
    try {
      const result = await runAgent(agent.name, tier, String(req.body?.input ?? 'hello'));
      metricsCollector.recordRevenue(tier, 'usage', agent.priceUsd / 100);
      res.json({ output: result.text });
    } catch (err) {
      res.status(isBreakerOpen(err) ? 503 : 502).json({ error: (err as Error).message });
    }
  });

  app.post('/api/v1/customers', async (req, res) => {
    const tier = tierOf(req);
    const id = await store.createCustomer(String(req.body?.email ?? 'someone@example.com'), tier);
    metricsCollector.recordSignup(tier);
    metricsCollector.recordRevenue(tier, 'subscription', SUBSCRIPTION_USD[tier] ?? 0);
    res.status(201).json({ id, tier });
  });
  const lookups = telemetry.metrics.marketplace_customer_lookups_total;
  const found = lookups.labels({ result: 'found' });
  const missing = lookups.labels({ result: 'missing' });
  app.get('/api/v1/customers/:id', async (req, res) => {
    const customer = await store.getCustomer(Number(req.params['id']));
    (customer ? found : missing).inc();
    if (customer) res.json(customer);
    else res.status(404).json({ error: 'no such customer' });
  });

  app.post('/api/v1/auth/login', (req, res) => {
    if (req.body?.password === 'correct horse battery staple') return void res.json({ token: 'demo' });
    metricsCollector.recordAuthFailure('invalid_credentials');
    res.status(401).json({ error: 'invalid credentials' });
  });

  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: err.message });
  });
  return app;
}

/** Connects the stores, serves the API and, unless DEMO_TRAFFIC=0, drives traffic against it. */
export async function startService(telemetry: MarketplaceTelemetry): Promise<void> {
  const config = readConfig();
  const store = await Store.connect(config);
  const provider = await startSimulatedProvider();
  const runAgent = createAgents(createLlmClients(provider.url));
  const server = createApp(telemetry, store, config, runAgent).listen(config.port);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  console.log(
    `marketplace-service listening on http://localhost:${port} (metrics: http://localhost:${port}/api/v1/metrics)`,
  );

  const stopActiveCustomers = reportActiveCustomers(store);
  const stopTraffic = config.traffic ? startTraffic(`http://127.0.0.1:${port}`) : () => undefined;
  const stop = (): void => {
    stopTraffic();
    stopActiveCustomers();
    server.close();
    provider.close();
    void Promise.all([store.close(), telemetry.shutdown()]).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Keeps customers_active{tier} in step with the customers table (or a simulation without one). */
function reportActiveCustomers(store: Store): () => void {
  const report = async (): Promise<void> => {
    const counts = await store.countCustomersByTier().catch(() => new Map<string, number>());
    for (const tier of TIERS) metricsCollector.setActiveCustomers(tier, counts.get(tier) ?? 0);
  };
  void report();
  const timer = setInterval(() => void report(), 5000);
  return () => clearInterval(timer);
}

function tierOf(req: Request): string {
  const tier = String(req.headers['x-tier'] ?? 'free');
  return (TIERS as readonly string[]).includes(tier) ? tier : 'free';
}
