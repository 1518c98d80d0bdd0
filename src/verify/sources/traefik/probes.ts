/**
 * Requests worth sending to Traefik, derived from its routers: every host (a one-label and a
 * two-label instance of a wildcard, an unknown host), every router path with its boundary
 * neighbours (the path, + '/', + '/x', + one character, without its trailing '/', in upper case,
 * with a query), samples of PathRegexp paths, the prefixes of stripPrefix middlewares under the
 * router's path, and the paths of skipped routers; each over HTTP and HTTPS.
 */
import { samples } from '../../regex.js';
import type { Probe } from '../../types.js';
import type { TraefikConfig } from './config.js';

export const UNKNOWN_HOST = 'unknown-host.gateway-shift.invalid';
const UNMATCHED_PATH = '/gateway-shift-unmatched';

function instances(host: string): string[] {
  if (host === '') return [UNKNOWN_HOST];
  if (host.startsWith('*.')) return [`gs-probe${host.slice(1)}`, `gs-deep.gs-probe${host.slice(1)}`];
  return [host];
}

function neighbours(path: string): string[] {
  if (path === '') return ['/'];
  const out = [path];
  if (path !== '/') {
    if (path.endsWith('/')) out.push(path.slice(0, -1), `${path}x`);
    else out.push(`${path}/`, `${path}/x`, `${path}x`);
  }
  if (path.toUpperCase() !== path) out.push(path.toUpperCase());
  return out;
}

export function generateProbes(entry: string, cfg: TraefikConfig): Probe[] {
  const out = new Map<string, Probe>();
  const add = (p: Omit<Probe, 'entry' | 'scheme'>) => {
    for (const scheme of ['http', 'https'] as const) {
      const k = JSON.stringify([scheme, p.host, p.path, p.query ?? '', p.method, p.headers]);
      if (!out.has(k)) out.set(k, { entry, ...p, scheme });
    }
  };
  const hosts = new Set<string>([UNKNOWN_HOST]);
  for (const r of cfg.routers) for (const h of instances(r.host)) hosts.add(h);
  for (const s of cfg.skipped) for (const h of instances(s.host)) hosts.add(h);
  for (const host of hosts) {
    const base = { host, method: 'GET', headers: {} };
    add({ ...base, path: '/', reason: 'root of the host' });
    add({ ...base, path: UNMATCHED_PATH, reason: 'a path no Ingress names' });
  }
  for (const r of cfg.routers) {
    for (const host of r.host ? instances(r.host) : [...hosts]) {
      const base = { host, method: 'GET', headers: {} };
      const paths: string[] = [];
      if (r.matcher === 'PathRegexp') {
        for (const x of samples(r.path, 4)) if (x.startsWith('/')) paths.push(x, `${x}x`, `/pre${x}`);
      } else paths.push(...neighbours(r.path));
      for (const path of paths) add({ ...base, path, reason: `router ${r.rule}${path === r.path ? '' : ' (neighbour)'}` });
      if (r.matcher !== 'PathRegexp' && r.path.startsWith('/')) add({ ...base, path: r.path, query: 'gs=1', reason: `router ${r.rule} with a query` });
      // Requests a stripPrefix of the router strips (its prefixes under the router's path).
      for (const item of r.chain) {
        if ('missing' in item || item.mw.kind !== 'stripPrefix') continue;
        const prefixes = Array.isArray(item.mw.config.prefixes) ? item.mw.config.prefixes : [];
        for (const x of prefixes) if (typeof x === 'string' && x.startsWith('/')) for (const path of neighbours(x.trim())) add({ ...base, path, reason: `stripPrefix ${x} of ${item.mw.namespace}/${item.mw.name}` });
      }
    }
  }
  for (const s of cfg.skipped) {
    for (const host of instances(s.host)) for (const path of neighbours(s.path)) add({ host, path, method: 'GET', headers: {}, reason: `path Traefik skipped (${s.why})` });
  }
  return [...out.values()];
}
