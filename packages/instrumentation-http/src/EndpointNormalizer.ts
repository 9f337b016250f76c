import type { EndpointRule } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIGITS = /^\d+$/;
const HEX = /^[0-9a-f]{8,}$/i;
// base64 and base64url alphabets (a path segment cannot hold `/`).
const TOKEN_CHARS = /^[A-Za-z0-9+=_-]+$/;
const MIN_TOKEN_LENGTH = 16;
// Raw paths seen recently, with their endpoint: services serve the same few paths over and over.
// Cleared when full, so a scan of random paths costs at most this much memory; longer paths are
// not cached at all (a thousand 16 KB scan paths would hold 16 MB).
const CACHE_SIZE = 1000;
const MAX_CACHED_PATH_LENGTH = 1024;

/**
 * The endpoint of a request path when no framework route template is known: each user rule
 * applied in order, then every path segment that looks like an identifier replaced by a
 * placeholder (`/api/v1/agents/42/execute` → `/api/v1/agents/:id/execute`).
 */
export function normalizePath(path: string, rules: readonly EndpointRule[] = []): string {
  let result = path;
  for (const { pattern, replacement } of rules) result = result.replace(pattern, replacement);
  const segments = result.split('/');
  for (let i = 0; i < segments.length; i++) {
    const placeholder = placeholderFor(segments[i]!);
    if (placeholder !== undefined) segments[i] = placeholder;
  }
  return segments.join('/');
}

/** The placeholder of a path segment that is an identifier, or undefined for a literal segment. */
export function placeholderFor(segment: string): string | undefined {
  if (segment.length === 0) return undefined;
  if (DIGITS.test(segment)) return ':id';
  if (segment.length === 36 && UUID.test(segment)) return ':uuid';
  if (HEX.test(segment) && /\d/.test(segment)) return ':hex';
  if (segment.length >= MIN_TOKEN_LENGTH && TOKEN_CHARS.test(segment) && looksRandom(segment)) return ':token';
  return undefined;
}

/**
 * Whether a long segment reads as a generated token rather than a slug: upper case, lower case
 * and digits all present (`V1StGXR8_Z5jdHi6B-myT`), or many digits among letters
 * (`usr01hx4k9m2q7w8e5r`). Slugs such as `my-agent-package` or `release-notes-v2` stay literal.
 */
function looksRandom(segment: string): boolean {
  let digits = 0;
  let lower = false;
  let upper = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
  }
  if (digits === 0) return false;
  return (lower && upper) || ((lower || upper) && digits >= 4);
}

/** The path of a request target, without query string or fragment. */
export function pathOf(url: string | undefined): string {
  if (url === undefined || url.length === 0) return '/';
  let end = url.length;
  const query = url.indexOf('?');
  if (query >= 0) end = query;
  const hash = url.indexOf('#');
  if (hash >= 0 && hash < end) end = hash;
  const target = end === url.length ? url : url.slice(0, end);
  if (target.charCodeAt(0) === 47 /* / */ || target === '*') return target;
  // Absolute form (`GET http://host/path`, sent to proxies): keep only the path.
  try {
    return new URL(target).pathname;
  } catch {
    return '/';
  }
}

/** {@link normalizePath} with the configured rules, cached per raw path. */
export class EndpointNormalizer {
  private readonly _cache = new Map<string, string>();

  constructor(private readonly _rules: readonly EndpointRule[]) {}

  normalize(path: string): string {
    if (path.length > MAX_CACHED_PATH_LENGTH) return normalizePath(path, this._rules);
    let endpoint = this._cache.get(path);
    if (endpoint === undefined) {
      endpoint = normalizePath(path, this._rules);
      if (this._cache.size >= CACHE_SIZE) this._cache.clear();
      this._cache.set(path, endpoint);
    }
    return endpoint;
  }
}
