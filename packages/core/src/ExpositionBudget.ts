/** Default ceiling of one exposition, in bytes (`prometheus.maxExpositionBytes`). */
export const DEFAULT_MAX_EXPOSITION_BYTES = 32 * 1024 * 1024;

/**
 * The size ceiling of one exposition. The serializer asks it, series by series in exposition
 * order, whether the next one fits: series are kept until the first one that does not fit, and
 * that one and every later one are left out (a prefix, so what is exposed is stable from scrape
 * to scrape). Reserved families (agent-telemetry's own metrics, which report the cut) are always
 * written and their size is taken first.
 *
 * Whatever clients send, a scrape therefore never grows past the ceiling, never fails, and never
 * builds a string V8 cannot hold (`RangeError: Invalid string length`, at ~512 MB).
 */
export class ExpositionBudget {
  private _remaining: number;
  private _cutAt: string | undefined;
  private _seriesLeftOut = 0;

  /** @param _reserved names of the metric families written whatever their size */
  constructor(
    readonly maxBytes: number,
    private readonly _reserved: ReadonlySet<string> = new Set(),
  ) {
    this._remaining = maxBytes;
  }

  /** Whether the family is written outside the budget. */
  isReserved(family: string): boolean {
    return this._reserved.has(family);
  }

  /** Takes the size of a reserved family's text from the budget. */
  charge(bytes: number): void {
    this._remaining -= bytes;
  }

  /** Whether a series of `bytes` (with its family's header, for a first series) still fits; takes it if so. */
  fits(family: string, bytes: number): boolean {
    if (this._cutAt === undefined && bytes <= this._remaining) {
      this._remaining -= bytes;
      return true;
    }
    this._cutAt ??= family;
    this._seriesLeftOut++;
    return false;
  }

  /**
   * The families of a text exposition made elsewhere (a served prom-client registry) that still
   * fit, whole, in order; from the first that does not, none.
   */
  fitFamilies(text: string): string {
    let kept = '';
    // Client libraries write each family's HELP (or TYPE) line first.
    for (const family of text.split(/(?=^# HELP )/m)) {
      if (family === '') continue;
      const name = /^# (?:HELP|TYPE) (\S+)/.exec(family)?.[1] ?? 'a served registry';
      if (this.fits(name, Buffer.byteLength(family))) kept += family;
    }
    return kept;
  }

  /** The family where series started to be left out, or undefined when everything fitted. */
  get cutAt(): string | undefined {
    return this._cutAt;
  }

  /** How many series (or, of a served registry, families) were left out. */
  get seriesLeftOut(): number {
    return this._seriesLeftOut;
  }
}
