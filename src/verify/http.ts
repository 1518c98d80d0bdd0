/** Small HTTP helpers both models share: URLs, host patterns, path prefixes, weights. */
import type { WeightedBackend } from './types.js';

/** `path?query` as a request URI. */
export function uri(path: string, query: string | undefined): string {
  return query === undefined || query === '' ? path : `${path}?${query}`;
}

/** A Location URL in a comparable form: lower-case scheme and host, no default port, '/' for an empty path. */
export function normalizeLocation(location: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#:]*)(?::(\d*))?([^?#]*)(\?[^#]*)?/.exec(location);
  if (!m) return location;
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!.toLowerCase();
  const port = m[3] === undefined || m[3] === '' || (scheme === 'http' && m[3] === '80') || (scheme === 'https' && m[3] === '443') ? '' : `:${m[3]}`;
  const path = m[4] === '' ? '/' : m[4]!;
  return `${scheme}://${host}${port}${path}${m[5] ?? ''}`;
}

/**
 * Gateway API hostname matching: `*.example.com` matches any name that ends in `.example.com`
 * (one label or more), never `example.com` itself.
 */
export function gatewayHostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

/** Whether two Gateway API hostnames (either may be a wildcard) have a name in common. */
export function hostnamesIntersect(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.startsWith('*.') && b.startsWith('*.')) return a.endsWith(b.slice(1)) || b.endsWith(a.slice(1));
  if (a.startsWith('*.')) return gatewayHostMatches(a, b);
  if (b.startsWith('*.')) return gatewayHostMatches(b, a);
  return false;
}

/** The more specific of two intersecting hostnames (their intersection). */
export function narrower(a: string, b: string): string {
  if (!a.startsWith('*.')) return a;
  if (!b.startsWith('*.')) return b;
  return a.length >= b.length ? a : b;
}

/** Gateway API PathPrefix: whole path elements, a trailing '/' of the prefix ignored. */
export function pathPrefixMatches(prefix: string, path: string): boolean {
  const p = prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (p === '/' || p === '') return true;
  return path === p || path.startsWith(p + '/');
}

/** Gateway API ReplacePrefixMatch (the table in HTTPPathModifier.replacePrefixMatch). */
export function replacePrefix(path: string, prefix: string, replacement: string): string {
  const p = prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const rest = p === '/' ? path : path.slice(p.length);
  const r = replacement.endsWith('/') ? replacement.slice(0, -1) : replacement;
  const out = r + rest;
  if (out === '') return '/';
  return out.startsWith('/') ? out : `/${out}`;
}

/** Backends with weights normalised to fractions; zero weights and duplicates merged away. */
export function normalizeWeights(backends: readonly WeightedBackend[]): WeightedBackend[] {
  const total = backends.reduce((s, b) => s + Math.max(0, b.weight), 0);
  const merged = new Map<string, WeightedBackend>();
  for (const b of backends) {
    if (b.weight <= 0 || total <= 0) continue;
    const k = `${b.service}:${b.port}`;
    const prev = merged.get(k);
    if (prev) prev.weight += b.weight / total;
    else merged.set(k, { service: b.service, port: b.port, weight: b.weight / total });
  }
  return [...merged.values()].sort((a, b) => (`${a.service}:${a.port}` < `${b.service}:${b.port}` ? -1 : 1));
}

/** Query string parameters (first value of each name). */
export function queryParams(query: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!query) return out;
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    if (!out.has(k)) out.set(k, eq < 0 ? '' : part.slice(eq + 1));
  }
  return out;
}
