import { defineMetrics, type Telemetry } from '@agent-telemetry/node';

/**
 * The marketplace's own metrics, beside the catalogue's: declared once here, passed to
 * `initTelemetry({ metrics })`, read by monitoring/'s checks, and listed by
 * `npx agent-telemetry-docs dist/metrics.js`.
 */
export const marketplaceMetrics = defineMetrics({
  marketplace_customer_lookups_total: {
    kind: 'counter',
    unit: '{lookup}',
    help: 'Customer lookups through the API, by result (found, missing).',
    labels: ['result'],
  },
});

/** The demo's telemetry handle: the catalogue's metrics and the marketplace's own. */
export type MarketplaceTelemetry = Telemetry<typeof marketplaceMetrics>;
