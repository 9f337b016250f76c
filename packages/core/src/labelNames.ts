/** Prometheus label names: letters, digits and `_`, not starting with a digit or with `__` (reserved). */
const LABEL_NAME = /^(?!__)[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Label names agent-telemetry or Prometheus give a meaning of their own: histogram buckets and
 * summary quantiles, and the overflow series past a cardinality limit.
 */
const RESERVED_LABELS: ReadonlySet<string> = new Set(['le', 'quantile', 'otel_metric_overflow']);

/** Whether `name` may be a label of the service's choosing. */
export function isLabelName(name: unknown): name is string {
  return typeof name === 'string' && LABEL_NAME.test(name) && !RESERVED_LABELS.has(name);
}
