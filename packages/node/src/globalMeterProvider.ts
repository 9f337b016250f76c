import { metrics, type MeterProvider } from '@opentelemetry/api';
import { logger } from './logger';
import { isRegisteredGlobally } from './otelGlobals';

/**
 * Registers `provider` as the global MeterProvider, so that instruments made through
 * `@opentelemetry/api` (`metrics.getMeter()`: the service's code, libraries, upstream
 * instrumentations) reach agent-telemetry's exposition and OTLP. A provider the service registered
 * first is kept, and that is said once. Returns a function that unregisters `provider`.
 */
export function registerGlobalMeterProvider(provider: MeterProvider): () => void {
  if (isRegisteredGlobally('metrics')) {
    logger.warn(
      'a global OpenTelemetry MeterProvider was registered before initTelemetry(): instruments made through ' +
        "@opentelemetry/api record into it, not into agent-telemetry's exposition. To have them here, do not " +
        "register one (pass its Views to initTelemetry({ views })), or add defaultRegistry() to its readers' " +
        'metricProducers to have the catalogue there (README: "The OpenTelemetry API").',
    );
    return () => {};
  }
  metrics.setGlobalMeterProvider(provider);
  return () => {
    if (metrics.getMeterProvider() === provider) metrics.disable();
  };
}
