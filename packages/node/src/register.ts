/**
 * Zero-code start: `node --import @agent-telemetry/node/register app.mjs` (ESM) or
 * `node --require @agent-telemetry/node/register app.js` (CommonJS), configured by environment.
 */
import { isMainThread } from 'node:worker_threads';
import { initTelemetry } from './initTelemetry';

// Node also runs `--require` preloads in worker threads, and in the thread of off-thread module
// hooks (the ES module loader hook on Node versions without in-thread hooks): telemetry starts
// once, in the main thread.
if (isMainThread) {
  try {
    // initTelemetry() registers the ES module loader hook too, before the application is loaded.
    // A deploy stops the process with SIGTERM: the last OTLP values are pushed first, unless
    // AGENT_TELEMETRY_FLUSH_ON_SIGNALS=false says otherwise.
    initTelemetry(process.env['AGENT_TELEMETRY_FLUSH_ON_SIGNALS'] === undefined ? { flushOnSignals: true } : {});
  } catch (err) {
    // A telemetry start-up failure must not stop the service; it is reported on stderr once.
    process.emitWarning(`agent-telemetry did not start: ${(err as Error).message}`, 'AgentTelemetryWarning');
  }
}
