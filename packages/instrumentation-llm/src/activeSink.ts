import { metricsCollector, type MetricsCollector } from '@agent-telemetry/business-metrics';
import type { CallSink } from './internal-types';
import { logger } from './logger';

let active: CallSink | undefined;

/** Sets (or clears) the sink of the running plugin, which the AI SDK middleware records into. */
export function setActiveSink(sink: CallSink | undefined): void {
  active = sink;
}

/**
 * The running plugin's sink (the telemetry `initTelemetry()` started: its collector and, with
 * OTLP, the GenAI histograms), else one recording through `collector`.
 */
export function sinkFor(collector: MetricsCollector | undefined): CallSink {
  if (collector === undefined && active !== undefined) return active;
  const target = collector ?? metricsCollector;
  return {
    record(call) {
      try {
        target.recordLlmCall(call);
      } catch (err) {
        logger.reportOnce('collector', 'failed to record an LLM call', err);
      }
    },
  };
}
