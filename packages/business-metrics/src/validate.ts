// Argument checks of the collector's methods. Each throws one TypeError that names the method,
// the argument and the value received, so a wrong call is fixed from the message alone.

/** A label value: a non-empty string. */
export function checkLabel(method: string, arg: string, value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  throw invalid(method, arg, 'a non-empty string', value);
}

/** One of a fixed list of label values. */
export function checkOneOf<T extends string>(method: string, arg: string, value: unknown, allowed: readonly T[]): T {
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  throw invalid(method, arg, `one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`, value);
}

/** An amount of money or time: a finite number >= 0. */
export function checkAmount(method: string, arg: string, value: unknown): number {
  if (typeof value === 'number' && value >= 0 && value !== Infinity) return value;
  throw invalid(method, arg, 'a finite number >= 0', value);
}

/** A count of things (tokens, customers): an integer >= 0. */
export function checkCount(method: string, arg: string, value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw invalid(method, arg, 'an integer >= 0', value);
}

/** A share: a number from 0 to 1. */
export function checkRatio(method: string, arg: string, value: unknown): number {
  if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  throw invalid(method, arg, 'a number from 0 to 1', value);
}

/** A function to wrap. */
export function checkFunction(method: string, arg: string, value: unknown): (...args: unknown[]) => unknown {
  if (typeof value === 'function') return value as (...args: unknown[]) => unknown;
  throw invalid(method, arg, 'a function', value);
}

function invalid(method: string, arg: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${method}(): ${arg} must be ${expected}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
