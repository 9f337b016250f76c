import { logger } from './logger';

/** How often one recurring failure is logged at most. */
const FAILURE_LOG_INTERVAL_MS = 60_000;

/**
 * The log of one recurring failure (a collector that is down, a metric callback that throws at
 * every scrape): the first occurrence is logged at once, later ones at most once a minute, with
 * the number left unlogged in between. Visible, never a flood; the counts are in the metrics.
 */
export class ThrottledLog {
  private _lastLogged = -Infinity;
  private _unlogged = 0;

  constructor(
    private readonly _message: string,
    private readonly _intervalMillis = FAILURE_LOG_INTERVAL_MS,
  ) {}

  error(...causes: unknown[]): void {
    const now = Date.now();
    if (now - this._lastLogged < this._intervalMillis) {
      this._unlogged++;
      return;
    }
    const unlogged = this._unlogged > 0 ? ` (${this._unlogged} more since the last report)` : '';
    this._lastLogged = now;
    this._unlogged = 0;
    logger.error(`${this._message}${unlogged}`, ...causes);
  }
}
