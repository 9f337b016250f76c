import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';

const PROBE = createContextKey('agent-telemetry.http.contextProbe');

/** Whether a context manager is registered, i.e. `context.with()` makes its context active. */
export function hasContextManager(): boolean {
  const probe = ROOT_CONTEXT.setValue(PROBE, true);
  return context.with(probe, () => context.active() === probe);
}

/**
 * Registers an AsyncLocalStorage context manager unless one is registered already (a tracing SDK
 * of the service). Express and Koa report their route through the request's OTel context, which
 * is lost across callbacks and promises without one. Returns what undoes the registration.
 */
export function installContextManager(): (() => void) | undefined {
  if (hasContextManager()) return undefined;
  const manager = new AsyncLocalStorageContextManager().enable();
  if (!context.setGlobalContextManager(manager)) {
    manager.disable();
    return undefined;
  }
  return () => context.disable();
}
