import {
  AggregationType,
  createAllowListAttributesProcessor,
  type AggregationOption,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { catalogueEntries, type MetricDefinition } from './catalogue';
import { resolveCardinalityLimits } from './config';
import type { MetricRegistryOptions } from './types';

/**
 * OTel Views for every catalogue metric: bucket boundaries, an attribute allow-list (extra
 * attributes never become labels) and a cardinality limit, all from the catalogue (limits can be
 * overridden as for `MetricRegistry`).
 *
 * agent-telemetry's own registry applies the same rules without the SDK (see `MetricRegistry`).
 * These Views are for services that record catalogue metrics through an OTel `MeterProvider` of
 * their own; the tests prove that both paths give the same exposition.
 */
export function catalogueViews(options: MetricRegistryOptions = {}): ViewOptions[] {
  const limits = resolveCardinalityLimits(options.cardinalityLimits);
  return catalogueEntries().map(([name, definition]) => ({
    instrumentName: name,
    attributesProcessors: [createAllowListAttributesProcessor([...definition.labels])],
    aggregationCardinalityLimit: limits[name],
    ...(definition.kind === 'histogram' ? { aggregation: histogramAggregation(definition) } : {}),
  }));
}

function histogramAggregation(definition: MetricDefinition): AggregationOption {
  return {
    type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
    options: { boundaries: [...(definition.buckets ?? [])], recordMinMax: true },
  };
}
