import type { BoundHistogram, CatalogueMetrics } from '@agent-telemetry/core';

/** The metric a query's duration is observed in. */
type DurationMetric = Pick<CatalogueMetrics, 'db_query_duration_seconds'>;

/**
 * The labels of one kind of query and its `db_query_duration_seconds` series, bound at the first
 * observation. It is kept with the cached summary of a SQL text (and made once per
 * `trackDbQuery()`), so a query observes through a bound handle instead of building a label object
 * and walking the label index every time. Binding at the first observation, not before, keeps
 * the exposition as unbound recording makes it: a series appears when a query has ended.
 */
export class QuerySeries {
  private _boundTo: DurationMetric | undefined;
  private _duration: BoundHistogram | undefined;

  constructor(
    readonly operation: string,
    readonly table: string,
  ) {}

  /** Observes one query; binds again when recording into other metrics than the last time. */
  observeDuration(metrics: DurationMetric, seconds: number): void {
    let duration = this._duration;
    if (duration === undefined || this._boundTo !== metrics) {
      duration = this._duration = metrics.db_query_duration_seconds.labels({
        operation: this.operation,
        table: this.table,
      });
      this._boundTo = metrics;
    }
    duration.observe(seconds);
  }
}
