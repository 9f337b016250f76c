export { CATALOGUE, DEFAULT_CARDINALITY_LIMIT, PROMETHEUS_TYPE, catalogueEntries } from './catalogue';
export type {
  CardinalityLimits,
  Catalogue,
  DefinitionOf,
  LabelName,
  Labels,
  MetricDefinition,
  MetricGroup,
  MetricKind,
  MetricName,
  MetricNameOfKind,
  MetricRef,
  MetricShape,
} from './catalogue';
export { defineMetrics } from './metricTable';
export type { MetricTable, NoMetrics, ServiceMetricDefinition } from './metricTable';
export { Counter, Gauge, Histogram, ObservableCounter, ObservableGauge, UpDownCounter } from './instruments';
export type { BoundCounter, BoundGauge, BoundHistogram, BoundUpDownCounter, ObservableCallback } from './instruments';
export type { DropReason, NameOf } from './Instrument';
export { MetricRegistry, defaultRegistry } from './MetricRegistry';
export type { CatalogueMetrics, InstrumentFor, MetricsOf, RegistryMetrics } from './MetricRegistry';
export { CUT_MARKER, MAX_LABEL_VALUE_LENGTH } from './labelValue';
export { PrometheusTextSerializer, PROMETHEUS_CONTENT_TYPE } from './PrometheusTextSerializer';
export { METRICS_SERVER_LIMITS, createMetricsHandler, startMetricsServer } from './MetricsEndpoint';
export type { MetricsRejection, MetricsRequestHandler, MetricsServer, MetricsServerOptions } from './MetricsEndpoint';
export { TelemetryConfigError } from './config';
export type { ResolvedConfig } from './config';
export { createTelemetry, shutdownBoundMillis } from './Telemetry';
export type { Telemetry, TelemetrySetup } from './Telemetry';
export { catalogueViews } from './views';
export type {
  CoreOptions,
  ExporterName,
  MetricRegistryOptions,
  MetricsEndpointAuth,
  OtlpOptions,
  PrometheusOptions,
} from './types';
export type { PrometheusRegistry } from './servedRegistries';
export type { Tracker } from './createTracker';
