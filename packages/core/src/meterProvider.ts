import type { Histogram, Meter, MetricOptions } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { DEFAULT_BUCKETS } from './catalogue';

/**
 * The OTel SDK's MeterProvider, but for one thing: a histogram made without bucket advice gets
 * buckets that fit its unit (`DEFAULT_BUCKETS`: seconds, bytes), through the advice API, so
 * that the instrument's own advice and the service's Views still win.
 */
export class TelemetryMeterProvider extends MeterProvider {
  private readonly _meters = new WeakMap<Meter, Meter>();

  override getMeter(name: string, version?: string, options?: { schemaUrl?: string }): Meter {
    const meter = super.getMeter(name, version, options);
    let advised = this._meters.get(meter);
    if (advised === undefined) this._meters.set(meter, (advised = withUnitBuckets(meter)));
    return advised;
  }
}

function withUnitBuckets(meter: Meter): Meter {
  const createHistogram = meter.createHistogram.bind(meter);
  // Every other method is the meter's own, reached through the prototype.
  const advised: Meter = Object.create(meter);
  advised.createHistogram = (name: string, options: MetricOptions = {}): Histogram => {
    const buckets = options.unit === undefined ? undefined : DEFAULT_BUCKETS[options.unit];
    if (buckets === undefined || options.advice?.explicitBucketBoundaries !== undefined) {
      return createHistogram(name, options);
    }
    return createHistogram(name, { ...options, advice: { ...options.advice, explicitBucketBoundaries: [...buckets] } });
  };
  return advised;
}
