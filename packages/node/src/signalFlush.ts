import type { Telemetry } from '@agent-telemetry/core';

/** The signals a deploy or Ctrl-C stops a process with. */
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Flushes telemetry when the process is asked to stop, then lets it stop exactly as it would
 * have without agent-telemetry:
 *
 * - If agent-telemetry is the only listener of the signal, Node's default would have ended the
 *   process at once: `shutdown()` runs (bounded, it pushes the last OTLP values), then the
 *   listener is removed and the signal raised again, so the process ends by that signal, with the
 *   exit status a supervisor expects. A second signal while flushing ends it at once.
 * - If the service listens too, its handler decides when the process ends: the pending OTLP
 *   values are pushed now, and `shutdown()` runs once the event loop empties (`beforeExit`). A
 *   handler that calls `process.exit()` right away ends the process before the push completes;
 *   call `telemetry.shutdown()` first there.
 *
 * Returns the function that removes the listeners (the handle's `shutdown()` calls it).
 */
export function flushOnSignals(telemetry: Telemetry): () => void {
  let stopping = false;
  const onBeforeExit = () => void telemetry.shutdown().catch(() => {});
  const remove = (): void => {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    process.removeListener('beforeExit', onBeforeExit);
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) return;
    stopping = true;
    if (process.listenerCount(signal) > 1) {
      telemetry.meterProvider.forceFlush().catch(() => {});
      process.once('beforeExit', onBeforeExit);
      return;
    }
    // Removed first: a second signal while flushing ends the process at once, as Node would have.
    remove();
    const raise = () => process.kill(process.pid, signal);
    telemetry.shutdown().then(raise, raise);
  }
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return remove;
}
