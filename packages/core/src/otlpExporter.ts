import { OTLPMetricExporterBase, type OTLPMetricExporterOptions } from '@opentelemetry/exporter-metrics-otlp-http';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import {
  JsonMetricsSerializer,
  MetricsExporterMetricsHelper,
  type IExportMetricsServiceResponse,
  type ISerializer,
} from '@opentelemetry/otlp-transformer';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** What {@link createOtlpExporter} needs beyond the exporter's own options. */
export interface OtlpExporterOptions extends OTLPMetricExporterOptions {
  /** Told of a 200 whose body is not an OTLP response (the data was accepted; nothing is retried). */
  readonly onUndecodableResponse: (error: unknown) => void;
}

/**
 * `OTLPMetricExporter` of `@opentelemetry/exporter-metrics-otlp-http`, assembled from the same
 * public parts (same options, environment variables, retries and JSON encoding), with one
 * difference: a response body that does not decode is handed to `onUndecodableResponse` instead
 * of being logged by the serializer at every export.
 */
export function createOtlpExporter(options: OtlpExporterOptions): PushMetricExporter {
  const { onUndecodableResponse, ...config } = options;
  const serializer: ISerializer<ResourceMetrics, IExportMetricsServiceResponse> = {
    serializeRequest: (request) => JsonMetricsSerializer.serializeRequest(request),
    deserializeResponse: (data) => {
      if (data.length === 0) return {};
      try {
        return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data)) as IExportMetricsServiceResponse;
      } catch (err) {
        onUndecodableResponse(err);
        return {};
      }
    },
  };
  const delegate = createOtlpHttpExportDelegate(
    convertLegacyHttpOptions(config, 'METRICS', 'v1/metrics', { 'Content-Type': 'application/json' }),
    serializer,
    'otlp_http_metric_exporter',
    MetricsExporterMetricsHelper,
    undefined,
  );
  return new OTLPMetricExporterBase(delegate, config);
}
