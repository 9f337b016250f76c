import type { CatalogueMetrics } from '@agent-telemetry/core';
import { classifyDbError } from './classifyDbError';
import { logger } from './logger';
import type { QuerySeries } from './QuerySeries';

/** The catalogue metrics a query records into. */
export type DbQueryMetrics = Pick<CatalogueMetrics, 'db_query_duration_seconds' | 'db_errors_total'>;

/** Times one query and records it once, in `db_query_duration_seconds` and, failed, `db_errors_total`. */
export class QueryTimer {
  private readonly _start = performance.now();
  private _ended = false;

  constructor(
    private readonly _metrics: DbQueryMetrics,
    private readonly _series: QuerySeries,
  ) {}

  /**
   * Records the query; calls after the first are ignored (pg may report a query twice, e.g. a
   * read timeout and then the late reply). Never throws.
   */
  end(failed: boolean, error?: unknown): void {
    if (this._ended) return;
    this._ended = true;
    try {
      const seconds = (performance.now() - this._start) / 1000;
      this._series.observeDuration(this._metrics, seconds);
      if (failed) recordDbError(this._metrics, this._series.operation, error);
    } catch (err) {
      logger.reportOnce('record-query', 'failed to record a query', err);
    }
  }

  /**
   * Ends the timer when `result` settles. The caller keeps `result` itself: the promise `then`
   * derives is dropped, and never rejects since `end` never throws. The handler attached counts
   * as handling a rejection, though: one the caller leaves unhandled is no longer reported by
   * Node as unhandled.
   */
  endWhenSettled(result: PromiseLike<unknown>): void {
    result.then(
      () => this.end(false),
      (err: unknown) => this.end(true, err),
    );
  }
}

/** Counts one error in `db_errors_total`. Never throws. */
export function recordDbError(
  metrics: Pick<DbQueryMetrics, 'db_errors_total'>,
  operation: string,
  error: unknown,
): void {
  try {
    metrics.db_errors_total.inc({ operation, error_type: classifyDbError(error) });
  } catch (err) {
    logger.reportOnce('record-error', 'failed to record a database error', err);
  }
}
