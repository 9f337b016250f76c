import { TelemetryConfigError } from './config';

/** The `typeof` an option must have. */
export type OptionType = 'boolean' | 'function' | 'string' | 'number' | 'object';

/**
 * Checks the types of an instrumentation's options when its plugin is created: `options` must be
 * an object (or undefined), and each field of `types` that is set must have that type. Throws a
 * `TelemetryConfigError` naming the field as `initTelemetry()` takes it (`prefix` is
 * `instrumentations.pg`, ...). Fields not listed are left to the upstream instrumentation.
 */
export function checkOptionTypes(prefix: string, options: unknown, types: Readonly<Record<string, OptionType>>): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TelemetryConfigError(prefix, options, 'an options object, or false');
  }
  for (const [field, type] of Object.entries(types)) {
    const value = (options as Readonly<Record<string, unknown>>)[field];
    if (value !== undefined && (typeof value !== type || value === null)) {
      throw new TelemetryConfigError(
        `${prefix}.${field}`,
        describe(value),
        type === 'object' ? 'an object' : `a ${type}`,
      );
    }
  }
}

/** A value as the error message shows it: JSON cannot show functions or symbols. */
function describe(value: unknown): unknown {
  return typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
}
