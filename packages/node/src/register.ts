/**
 * Zero-code start: `node --import @agent-telemetry/node/register app.mjs` (ESM) or
 * `node --require @agent-telemetry/node/register app.js` (CommonJS), configured by environment.
 */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { initTelemetry } from './initTelemetry';

// Node also runs `--require` preloads in the thread of the module hooks registered below (and in
// worker threads): telemetry starts once, in the main thread.
if (isMainThread) {
  try {
    // Lets the instrumentations patch ES modules too (import-in-the-middle's loader hook).
    register('@opentelemetry/instrumentation/hook.mjs', pathToFileURL(__filename));
    initTelemetry();
  } catch (err) {
    // A telemetry start-up failure must not stop the service; it is reported on stderr once.
    process.emitWarning(`agent-telemetry did not start: ${(err as Error).message}`, 'AgentTelemetryWarning');
  }
}
