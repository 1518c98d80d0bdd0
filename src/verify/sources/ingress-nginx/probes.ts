/**
 * Requests worth sending to an ingress-nginx load balancer, derived from its configuration:
 * every host (a one-label and a deeper instance of each wildcard, every alias and www twin, an
 * unknown host), every location path with its boundary neighbours (the path, with a trailing
 * '/', with '/x', with one more character, without its trailing '/', in upper case, with a query),
 * samples of regex paths, ACME challenge paths, canary headers and cookies present, absent and
 * with other values, gRPC calls for gRPC locations; each over HTTP and HTTPS.
 */
import { samples } from '../../regex.js';
import type { Probe } from '../../types.js';
import type { Location, NginxConfig, Server } from './config.js';
import { DEFAULT_SERVER } from './config.js';

export const UNKNOWN_HOST = 'unknown-host.gateway-shift.invalid';
const UNMATCHED_PATH = '/gateway-shift-unmatched';
const ACME_PATH = '/.well-known/acme-challenge/gateway-shift-token';

/** A concrete host for a server name pattern: itself, or instances of a wildcard. */
function instances(name: string): string[] {
  if (name.startsWith('*.')) return [`gs-probe${name.slice(1)}`, `gs-deep.gs-probe${name.slice(1)}`];
  if (name.startsWith('.')) return [name.slice(1), `gs-probe${name}`];
  if (name.startsWith('~') || name.endsWith('.*')) return [];
  return [name];
}

function neighbours(path: string, caseMatters: boolean): string[] {
  const out = [path];
  if (path !== '/') {
    if (path.endsWith('/')) out.push(path.slice(0, -1), `${path}x`, `${path.slice(0, -1)}x`);
    else out.push(`${path}/`, `${path}/x`, `${path}x`);
  }
  if (caseMatters && path.toUpperCase() !== path) out.push(path.toUpperCase());
  return out;
}

/** Paths to probe for one location: its Ingress path and neighbours, or samples of its regex. */
function locationPaths(s: Server, l: Location): string[] {
  const p = l.ingressPath;
  const plain = /^\/[-A-Za-z0-9._~!&'+,;=:@%/]*$/.test(p);
  if (plain || !s.regex) return neighbours(p, true);
  const out: string[] = [];
  for (const x of samples(`^${p}`, 4)) {
    if (!x.startsWith('/')) continue;
    out.push(x, `${x}x`, x.toUpperCase());
  }
  const literal = /^\/[-A-Za-z0-9_~/]*/.exec(p)?.[0];
  if (literal && literal !== '/') out.push(literal, `${literal}x`);
  return out;
}

/** gRPC-shaped paths for a gRPC location: /package.Service/Method. */
function grpcPaths(p: string): string[] {
  const segs = p.split('/').filter(Boolean);
  if (segs.length === 0) return ['/pkg.Service/Method'];
  if (segs.length === 1) return [`/${segs[0]}/Method`, `/${segs[0]}x/Method`];
  if (segs.length === 2) return [`/${segs[0]}/${segs[1]}`, `/${segs[0]}/${segs[1]}x`];
  return [p];
}

export function generateProbes(entry: string, cfg: NginxConfig): Probe[] {
  const out = new Map<string, Probe>();
  const add = (p: Omit<Probe, 'entry' | 'scheme'>) => {
    for (const scheme of ['http', 'https'] as const) {
      const probe: Probe = { entry, ...p, scheme };
      const k = JSON.stringify([scheme, p.host, p.path, p.query ?? '', p.method, p.headers, p.grpc ?? false]);
      if (!out.has(k)) out.set(k, probe);
    }
  };
  const hostsOf = (s: Server): string[] => (s.hostname === DEFAULT_SERVER ? [UNKNOWN_HOST] : [...instances(s.hostname), ...s.aliases.flatMap(instances)]);
  const servers = [...cfg.ordered];
  for (const s of servers) {
    const hosts = hostsOf(s);
    const grpcLoc = (l: Location) => l.ann !== undefined && /^GRPCS?$/.test(l.ann.backendProtocol);
    for (const host of hosts) {
      const base = { host, method: 'GET', headers: {} };
      add({ ...base, path: '/', reason: 'root of the host' });
      add({ ...base, path: UNMATCHED_PATH, reason: 'a path no Ingress names' });
      add({ ...base, path: ACME_PATH, reason: 'an ACME HTTP-01 challenge' });
      for (const l of s.locations) {
        if (l.copy) continue;
        if (grpcLoc(l)) {
          for (const path of grpcPaths(l.ingressPath)) add({ host, path, method: 'POST', headers: { 'content-type': 'application/grpc' }, grpc: true, reason: `gRPC call to location ${l.ingressPath}` });
          continue;
        }
        for (const path of locationPaths(s, l)) add({ ...base, path, reason: `location ${l.ingressPath}${path === l.ingressPath ? '' : ' (neighbour)'}` });
        add({ ...base, path: l.ingressPath.startsWith('/') && /^\/[-A-Za-z0-9._~/]*$/.test(l.ingressPath) ? l.ingressPath : '/', query: 'gs=1', reason: `location ${l.ingressPath} with a query` });
        const alt = l.upstream?.alternatives[0];
        const c = alt?.shaping;
        if (c) {
          const path = /^\/[-A-Za-z0-9._~/]*$/.test(l.ingressPath) ? l.ingressPath : '/';
          const values = new Set(['always', 'never', 'other']);
          if (c.headerValue) values.add(c.headerValue);
          if (c.headerPattern) for (const x of samples(c.headerPattern, 2)) if (x) values.add(x);
          if (c.header) for (const v of values) add({ ...base, path, headers: { [c.header.toLowerCase()]: v }, reason: `canary header ${c.header}: ${v}` });
          if (c.cookie) {
            for (const v of ['always', 'never', 'other']) {
              add({ ...base, path, headers: { cookie: `${c.cookie}=${v}` }, reason: `canary cookie ${c.cookie}=${v}` });
              add({ ...base, path, headers: { cookie: `a=1; ${c.cookie}=${v}; b=2` }, reason: `canary cookie ${c.cookie}=${v} among others` });
            }
            if (c.header) add({ ...base, path, headers: { [c.header.toLowerCase()]: 'never', cookie: `${c.cookie}=always` }, reason: 'canary header never with cookie always' });
          }
        }
      }
    }
  }
  for (const r of cfg.redirects) {
    add({ host: r.from, path: '/', method: 'GET', headers: {}, reason: `from-to-www-redirect of ${r.to}` });
    add({ host: r.from, path: '/page/', method: 'GET', headers: {}, query: 'q=1', reason: `from-to-www-redirect of ${r.to} (deep path)` });
  }
  // Hosts of Ingresses the controller refused: what their users now get.
  for (const i of cfg.rejected) {
    for (const r of i.rules) {
      for (const host of r.host ? instances(r.host) : [UNKNOWN_HOST]) {
        add({ host, path: '/', method: 'GET', headers: {}, reason: `host of refused Ingress ${i.namespace}/${i.name}` });
        for (const p of r.paths) for (const path of neighbours(p.path, false)) add({ host, path, method: 'GET', headers: {}, reason: `path of refused Ingress ${i.namespace}/${i.name}` });
      }
    }
  }
  return [...out.values()];
}
