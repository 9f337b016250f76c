/**
 * Wraps `run` so that every call made while one is in flight shares that call's promise: twenty
 * concurrent scrapes cost one collection and one serialization, not twenty (a second Prometheus,
 * a curl loop, a retrying scraper cannot multiply the cost). A call made after it settled starts
 * a new run, so nobody gets a result older than its own request.
 */
export function singleFlight<T>(run: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () =>
    (inFlight ??= run().finally(() => {
      inFlight = undefined;
    }));
}
