import { context, ProxyTracerProvider, trace } from '@opentelemetry/api';

// The API's no-op tracer provider: what a ProxyTracerProvider delegates to until a real one is set.
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();

/**
 * Whether the upstream instrumentation's span work can matter for this call: a tracer provider is
 * registered, or a span is active (upstream then also binds callbacks to the caller's context).
 * Otherwise its spans would be non-recording and its context work void, so the metric layer
 * calls the library directly, which saves about half of the instrumentation's CPU per call
 * (bench/db.js).
 */
export function spansWanted(): boolean {
  const provider = trace.getTracerProvider();
  if (!(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP_TRACER_PROVIDER) return true;
  return trace.getSpan(context.active()) !== undefined;
}
