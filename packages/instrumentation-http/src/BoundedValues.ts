/**
 * A label's distinct values, at most `limit` of them: past the limit, new values are replaced by
 * one overflow value. Keeps the normalised-path `endpoint`s and the `host`s bounded whatever clients
 * send.
 */
export class BoundedValues {
  private readonly _admitted = new Set<string>();

  constructor(
    private readonly _limit: number,
    private readonly _overflow: string,
  ) {}

  /** `value` if it was seen before or there is room for it, else the overflow value. */
  admit(value: string): string {
    if (this._admitted.has(value)) return value;
    if (this._admitted.size >= this._limit) return this._overflow;
    this._admitted.add(value);
    return value;
  }
}
