// Where @opentelemetry/api 1.x keeps what is registered globally (every 1.x copy shares the key).
const OTEL_API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

/**
 * Whether something is registered for an API of `@opentelemetry/api` (`diag`, `metrics`), read
 * without asking the API, which falls back to a no-op and cannot tell.
 */
export function isRegisteredGlobally(api: 'diag' | 'metrics'): boolean {
  const globals = (globalThis as { [OTEL_API_GLOBALS]?: Partial<Record<string, unknown>> })[OTEL_API_GLOBALS];
  return globals?.[api] !== undefined;
}
