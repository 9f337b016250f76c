// The methods of RFC 9110 plus PATCH and QUERY, as OTel's semantic conventions list them. Any
// other verb (WebDAV's PROPFIND, a client's typo) becomes `_OTHER`, so that the `method` label
// keeps a fixed, small set of values whatever clients send.
const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
]);

/**
 * The `method` label of a request: the upper-cased verb when it is a known one, else `_OTHER`
 * (also when there is none: guessing GET would count an unknown request as a read).
 */
export function normalizeMethod(method: string | undefined): string {
  if (method === undefined) return '_OTHER';
  if (KNOWN_METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}
