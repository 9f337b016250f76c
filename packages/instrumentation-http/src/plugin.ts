import type { TelemetryPlugin } from '@agent-telemetry/core/instrumentation-support';
import { logger } from './logger';
import { FrameworkRoutes } from './FrameworkRoutes';
import { HttpMetricsInstrumentation } from './instrumentation';
import { resolveOptions } from './options';
import type { HttpInstrumentationOptions } from './types';

/**
 * The HTTP instrumentation as `initTelemetry()` loads it: the catalogue's `http_*` metrics for
 * every incoming request (route templates from Express, Fastify and Koa, normalised paths on plain
 * `http`) and `http_client_request_duration_seconds` for outgoing ones.
 *
 * @throws TelemetryConfigError for an invalid option, naming it and what it accepts
 */
export function createTelemetryPlugin(options: HttpInstrumentationOptions = {}): TelemetryPlugin {
  const resolved = resolveOptions(options);
  const routes = new FrameworkRoutes(options.modules ?? {});
  const instrumentation = new HttpMetricsInstrumentation(() => routes.needsContext);
  let running = false;
  return {
    name: 'http',
    enable(telemetry) {
      if (!resolved.enabled || running) return;
      running = true;
      const loadedBefore = routes.enable();
      instrumentation.enableMetrics(telemetry.metrics, resolved);
      for (const name of loadedBefore) {
        logger.warn(
          `${name} was loaded before agent-telemetry's HTTP instrumentation was enabled: routes it registered before ` +
            'now are recorded without their template. Start agent-telemetry before the application loads: ' +
            'node --require @agent-telemetry/node/register (CommonJS) or node --import @agent-telemetry/node/register (ESM), ' +
            'or call initTelemetry() before loading the framework.',
        );
      }
    },
    disable() {
      if (!running) return;
      running = false;
      instrumentation.disable();
      routes.disable();
    },
  };
}
