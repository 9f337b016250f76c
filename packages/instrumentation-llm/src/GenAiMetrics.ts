import type { LlmCallRecord } from '@agent-telemetry/business-metrics';
import type { Attributes, Histogram, MeterProvider } from '@opentelemetry/api';
import type { GenAiOperation } from './internal-types';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

// The buckets the GenAI semantic conventions recommend for each histogram.
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/** The meter of the GenAI histograms: exported over OTLP only (see the plugin's `otlpOnlyMeters`). */
export const GEN_AI_METER = `${PACKAGE_NAME}/gen_ai`;

/**
 * The OpenTelemetry GenAI client metrics, `gen_ai.client.token.usage` and
 * `gen_ai.client.operation.duration`, recorded through the MeterProvider with the attribute
 * names and bucket boundaries of the semantic conventions, for collectors and GenAI dashboards.
 * Input tokens include cached ones and output tokens reasoning ones, as the conventions count them.
 */
export class GenAiMetrics {
  private readonly _tokens: Histogram;
  private readonly _duration: Histogram;

  constructor(meterProvider: MeterProvider) {
    const meter = meterProvider.getMeter(GEN_AI_METER, PACKAGE_VERSION);
    this._tokens = meter.createHistogram('gen_ai.client.token.usage', {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this._duration = meter.createHistogram('gen_ai.client.operation.duration', {
      description: 'GenAI operation duration.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
  }

  record(call: LlmCallRecord, operation: GenAiOperation): void {
    const attributes: Attributes = {
      'gen_ai.operation.name': operation,
      'gen_ai.provider.name': call.provider,
      'gen_ai.request.model': call.model,
      ...(call.responseModel !== undefined && { 'gen_ai.response.model': call.responseModel }),
    };
    this._duration.record(
      call.durationSeconds,
      call.status === 'success' ? attributes : { ...attributes, 'error.type': call.errorType ?? 'other' },
    );
    const usage = call.usage;
    if (typeof usage !== 'object') return;
    const input = usage.input + (usage.cacheRead ?? 0) + (usage.cacheWrite ?? 0);
    const output = usage.output + (usage.reasoning ?? 0);
    this._tokens.record(input, { ...attributes, 'gen_ai.token.type': 'input' });
    this._tokens.record(output, { ...attributes, 'gen_ai.token.type': 'output' });
  }
}
