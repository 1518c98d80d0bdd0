/**
 * Requests worth sending to the load balancers: every host of a host condition (wildcards one and
 * two labels deep), an unknown host, every path pattern with its boundary neighbours (the path,
 * + '/', + '/x', + one character, without its trailing '/', in upper case, the bare path of a
 * `/p/*`), each rule's header, method and query conditions present and absent; over HTTP and HTTPS.
 */
import type { Probe } from '../../types.js';
import type { AlbConfig, Condition, Rule } from './config.js';

export const UNKNOWN_HOST = 'unknown-host.gateway-shift.invalid';

function hostInstances(v: string): string[] {
  if (v.startsWith('*.')) return [`gs-probe${v.slice(1)}`, `gs-deep.gs-probe${v.slice(1)}`];
  if (/[*?]/.test(v)) return [v.replace(/\*/g, 'gs').replace(/\?/g, 'g')];
  return [v];
}

function pathInstances(v: string): string[] {
  const base = v.replace(/\/\*$/, '').replace(/\*/g, 'gs').replace(/\?/g, 'g');
  const out = new Set<string>();
  const p = base === '' ? '/' : base;
  out.add(p);
  if (p !== '/') {
    if (p.endsWith('/')) out.add(p.slice(0, -1)).add(`${p}x`);
    else out.add(`${p}/`).add(`${p}/x`).add(`${p}x`);
  }
  if (p.toUpperCase() !== p) out.add(p.toUpperCase());
  return [...out];
}

/** Header and query variants of a rule: matching its conditions, and not. */
function variants(conds: readonly Condition[]): { headers: Record<string, string>; query?: string; method: string; reason: string }[] {
  const out: { headers: Record<string, string>; query?: string; method: string; reason: string }[] = [];
  const headers: Record<string, string> = {};
  let query: string | undefined;
  let method = 'GET';
  for (const c of conds) {
    if (c.field === 'http-header' && c.values[0] !== undefined) headers[c.name.toLowerCase()] = c.values[0].replace(/\*/g, 'x').replace(/\?/g, 'y');
    if (c.field === 'query-string' && c.values[0]) query = `${c.values[0].key?.replace(/[*?]/g, 'q') ?? 'gsany'}=${encodeURIComponent(c.values[0].value.replace(/[*?]/g, 'q'))}`;
    if (c.field === 'http-request-method' && c.values[0] && !c.values.includes('GET')) method = c.values[0];
  }
  if (Object.keys(headers).length || query !== undefined || method !== 'GET') {
    out.push({ headers, ...(query !== undefined ? { query } : {}), method, reason: 'the rule\u2019s conditions met' });
    for (const [k, v] of Object.entries(headers)) out.push({ headers: { ...headers, [k]: `${v}-other` }, ...(query !== undefined ? { query } : {}), method, reason: `header ${k} with another value` });
    if (query !== undefined) out.push({ headers, query: 'gs=1', method, reason: 'another query' });
    if (method !== 'GET') out.push({ headers, ...(query !== undefined ? { query } : {}), method: 'GET', reason: 'another method' });
  }
  return out;
}

/** gRPC-shaped paths (/package.Service/Method) under a path pattern. */
function grpcPaths(pattern: string): string[] {
  const segs = pattern.replace(/\/?\*$/, '').split('/').filter(Boolean);
  if (segs.length === 0) return ['/pkg.Service/Method'];
  if (segs.length === 1) return [`/${segs[0]}/Method`, `/${segs[0]}x/Method`];
  return [`/${segs[0]}/${segs[1]}`, `/${segs[0]}/${segs[1]}x`];
}

export function generateProbes(entry: string, cfg: AlbConfig): Probe[] {
  const out = new Map<string, Probe>();
  const add = (p: Omit<Probe, 'entry' | 'scheme'>) => {
    for (const scheme of ['http', 'https'] as const) {
      const k = JSON.stringify([scheme, p.host, p.path, p.query ?? '', p.method, p.headers, p.grpc ?? false]);
      if (!out.has(k)) out.set(k, { entry, ...p, scheme });
    }
  };
  const rules: Rule[] = cfg.loadBalancers.flatMap((lb) => lb.listeners.flatMap((l) => [...l.rules, ...l.dropped]));
  const hosts = new Set<string>([UNKNOWN_HOST]);
  for (const r of rules) for (const c of r.conditions) if (c.field === 'host-header') for (const v of c.values) for (const h of hostInstances(v.toLowerCase())) hosts.add(h);
  for (const x of cfg.excluded) {
    const spec = x.ingress.doc.object.spec as { rules?: { host?: string }[] } | undefined;
    for (const r of spec?.rules ?? []) if (typeof r.host === 'string') for (const h of hostInstances(r.host.toLowerCase())) hosts.add(h);
  }
  for (const host of hosts) {
    add({ host, path: '/', method: 'GET', headers: {}, reason: 'root of the host' });
    add({ host, path: '/gateway-shift-unmatched', method: 'GET', headers: {}, reason: 'a path no Ingress names' });
  }
  for (const r of rules) {
    const hs = r.conditions.find((c): c is Extract<Condition, { field: 'host-header' }> => c.field === 'host-header');
    const ruleHosts = hs ? hs.values.flatMap((v) => hostInstances(v.toLowerCase())) : [...hosts];
    const pc = r.conditions.find((c): c is Extract<Condition, { field: 'path-pattern' }> => c.field === 'path-pattern');
    const paths = pc ? [...new Set(pc.values.flatMap(pathInstances))] : ['/'];
    if (r.grpc) {
      for (const host of ruleHosts) for (const path of grpcPaths(pc?.values[0] ?? '/*')) add({ host, path, method: 'POST', headers: { 'content-type': 'application/grpc' }, grpc: true, reason: `gRPC call to the rule of ${r.ingress.namespace}/${r.ingress.name} ${r.path}` });
      continue;
    }
    for (const host of ruleHosts) {
      for (const path of paths) {
        add({ host, path, method: 'GET', headers: {}, reason: `rule of ${r.ingress.namespace}/${r.ingress.name} ${r.path}` });
        for (const v of variants(r.conditions)) add({ host, path, method: v.method, headers: v.headers, ...(v.query !== undefined ? { query: v.query } : {}), reason: `rule of ${r.ingress.namespace}/${r.ingress.name} ${r.path}: ${v.reason}` });
      }
      if (paths[0]) add({ host, path: paths[0], query: 'gs=1', method: 'GET', headers: {}, reason: `rule of ${r.ingress.namespace}/${r.ingress.name} ${r.path} with a query` });
    }
  }
  return [...out.values()];
}
