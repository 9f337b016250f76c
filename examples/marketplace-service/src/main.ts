/**
 * The marketplace demo: an agent-marketplace HTTP API instrumented by agent-telemetry.
 *
 * `initTelemetry()` runs before `http`, `express`, `pg` and `ioredis` are loaded, so the
 * instrumentations patch them; the rest of the service is loaded afterwards.
 */
import { initTelemetry } from '@agent-telemetry/node';
import { marketplaceMetrics } from './metrics';
import type * as ServiceModule from './service';

const telemetry = initTelemetry({
  serviceName: 'marketplace-service',
  serviceVersion: '0.1.0',
  metrics: marketplaceMetrics,
  // The service serves /api/v1/metrics itself; no second server on :9464.
  prometheus: { server: false },
});

// eslint-disable-next-line @typescript-eslint/no-require-imports -- must load after initTelemetry()
const { startService } = require('./service') as typeof ServiceModule;

startService(telemetry).catch((err: unknown) => {
  console.error('marketplace-service failed to start:', err);
  process.exitCode = 1;
});
