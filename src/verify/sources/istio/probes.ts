/**
 * Requests worth sending to Istio: every host of every bound VirtualService (wildcards
 * instantiated one and two labels deep), an unknown host, every uri match with its boundary
 * neighbours (the path, + `/`, + `/x`, + one character, without a trailing `/`, upper case),
 * regex samples, each match's headers, query parameters and method present, absent and with
 * another value; on each port of the Gateway servers (HTTP and HTTPS), TLS passthrough by SNI,
 * and inside the mesh to the Services of mesh-bound VirtualServices.
 */
import { samples } from '../../regex.js';
import type { Probe } from '../../types.js';
import { isRecord } from '../../types.js';
import { meshPorts, meshVirtualService, type Context } from './evaluate.js';
import { DOMAIN, intersectHosts, istioHostMatches, serverHostsFor, serviceOfFqdn, type IstioGateway, type VirtualService } from './objects.js';

const recs = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/** Names a host pattern stands for. */
export function instances(pattern: string): string[] {
  if (pattern === '*') return ['gs-probe.example'];
  if (pattern.startsWith('*.')) return [`gs-probe${pattern.slice(1)}`, `a.gs-probe${pattern.slice(1)}`];
  if (pattern.startsWith('*')) return [`gs-probe${pattern.slice(1)}`];
  return [pattern];
}

/** A value a StringMatch takes, and another it does not. */
function valueFor(sm: unknown): { yes?: string; no: string } {
  const m = isRecord(sm) ? sm : {};
  if (typeof m.exact === 'string') return { yes: m.exact, no: `${m.exact}-other` };
  if (typeof m.prefix === 'string') return { yes: `${m.prefix}x`, no: `gs-other` };
  if (typeof m.regex === 'string') {
    const s = m.regex === '*' ? ['x'] : samples(`^(?:${m.regex})$`, 2);
    return s.length ? { yes: s[0]!, no: 'gs-other~' } : { no: 'gs-other~' };
  }
  return { yes: 'x', no: 'x' };
}

function pathsOf(m: Record<string, unknown>): string[] {
  const u = isRecord(m.uri) ? m.uri : undefined;
  if (!u) return [];
  const p = typeof u.exact === 'string' ? u.exact : typeof u.prefix === 'string' ? u.prefix : undefined;
  if (p !== undefined) {
    const base = p.startsWith('/') ? p : `/${p}`;
    const out = [base, `${base}/`, `${base}/x`, `${base}x`, base.toUpperCase()];
    if (base.length > 1 && base.endsWith('/')) out.push(base.slice(0, -1));
    return out;
  }
  if (typeof u.regex === 'string') return samples(`^(?:${u.regex})$`, 3).filter((s) => s.startsWith('/'));
  return [];
}

interface Variant {
  path: string;
  headers: Record<string, string>;
  query?: string;
  method: string;
  reason: string;
}

/** Requests for the http routes of some VirtualServices. */
function httpVariants(vss: readonly VirtualService[]): Variant[] {
  const out: Variant[] = [
    { path: '/', headers: {}, method: 'GET', reason: 'root' },
    { path: '/gs-unmatched/x', headers: {}, method: 'GET', reason: 'a path no route names' },
    { path: '/', headers: {}, query: 'gs=1', method: 'GET', reason: 'a query string' },
  ];
  for (const vs of vss) {
    // The paths of the VirtualService's uri matches, tried with the matches that have none (a
    // header route before a path route takes that path's requests with the header).
    const vsPaths = [...new Set(vs.http.flatMap((h) => recs(h.match).flatMap((m) => pathsOf(m).slice(0, 1))))];
    vs.http.forEach((h, i) => {
      recs(h.match).forEach((m, j) => {
        const where = `http[${i}].match[${j}] of ${vs.namespace}/${vs.name}`;
        const paths = pathsOf(m);
        const headers: Record<string, string> = {};
        const hm = isRecord(m.headers) ? m.headers : {};
        for (const [k, sm] of Object.entries(hm)) {
          const v = valueFor(sm);
          if (v.yes !== undefined && !k.startsWith(':') && !k.startsWith('@')) headers[k.toLowerCase()] = v.yes;
        }
        const q: string[] = [];
        for (const [k, sm] of Object.entries(isRecord(m.queryParams) ? m.queryParams : {})) {
          const v = valueFor(sm);
          if (v.yes !== undefined) q.push(`${k}=${v.yes}`);
        }
        const mm = isRecord(m.method) ? m.method : undefined;
        const method = mm ? (valueFor(mm).yes ?? 'GET') : 'GET';
        const full = (path: string, reason: string): Variant => ({ path, headers: { ...headers }, ...(q.length ? { query: q.join('&') } : {}), method, reason });
        for (const p of paths.length ? paths : ['/', '/gs-x', ...vsPaths]) out.push(full(p, `${where}: path`));
        const p0 = paths[0] ?? '/';
        // Each header absent, and with another value.
        for (const [k, sm] of Object.entries(hm)) {
          if (k.startsWith(':') || k.startsWith('@')) continue;
          const without = { ...headers };
          delete without[k.toLowerCase()];
          out.push({ ...full(p0, `${where}: without header ${k}`), headers: without });
          out.push({ ...full(p0, `${where}: header ${k} with another value`), headers: { ...headers, [k.toLowerCase()]: valueFor(sm).no } });
        }
        for (const [k, sm] of Object.entries(isRecord(m.withoutHeaders) ? m.withoutHeaders : {})) {
          const v = valueFor(sm);
          if (v.yes !== undefined) out.push({ ...full(p0, `${where}: with the excluded header ${k}`), headers: { ...headers, [k.toLowerCase()]: v.yes } });
          out.push({ ...full(p0, `${where}: header ${k} with another value`), headers: { ...headers, [k.toLowerCase()]: v.no } });
        }
        if (q.length) {
          const bare = full(p0, `${where}: without its query`);
          delete bare.query;
          out.push(bare);
          out.push({ ...full(p0, `${where}: query with other values`), query: q.map((x) => `${x.split('=')[0]}=gs-other`).join('&') });
        }
        if (method !== 'GET') out.push({ ...full(p0, `${where}: another method`), method: 'GET' });
      });
    });
  }
  return out;
}

function key(p: Probe): string {
  return JSON.stringify([p.scheme, p.port, p.host, p.path, p.query, p.method, p.headers, p.mesh]);
}

/** Probes for the proxy shared by `gateways`. */
export function gatewayProbes(ctx: Context, entry: string, gateways: readonly IstioGateway[]): Probe[] {
  const out = new Map<string, Probe>();
  const keys = gateways.map((g) => `${g.namespace}/${g.name}`).sort();
  const add = (p: Probe) => {
    const k = key(p);
    if (!out.has(k)) out.set(k, p);
  };
  for (const g of gateways) {
    for (const s of g.servers) {
      if (s.kind === 'TCP') {
        add({ entry, scheme: 'tcp', host: `tcp-${s.port}`, path: '/', method: 'GET', headers: {}, reason: `a TCP connection to port ${s.port}`, gateways: keys, port: s.port });
        continue;
      }
      if (s.kind !== 'HTTP' && s.kind !== 'HTTPS' && s.kind !== 'PASSTHROUGH') continue;
      const scheme = s.kind === 'HTTP' ? 'http' : 'https';
      const port = s.port === (scheme === 'http' ? 80 : 443) ? undefined : s.port;
      const bound = ctx.objects.virtualServices.filter((v) => v.gateways.includes(`${g.namespace}/${g.name}`));
      const hosts = new Set<string>(['gs-unknown.example']);
      for (const h of s.hosts) if (!h.host.includes('*')) hosts.add(h.host);
      for (const vs of bound) for (const h of intersectHosts(serverHostsFor(s, vs.namespace), vs.hosts)) for (const i of instances(h)) hosts.add(i);
      if (s.kind === 'PASSTHROUGH') {
        for (const vs of bound) for (const t of vs.tls) for (const m of recs(t.match)) for (const sni of Array.isArray(m.sniHosts) ? m.sniHosts : []) if (typeof sni === 'string') for (const i of instances(sni.toLowerCase())) hosts.add(i);
        for (const host of [...hosts].sort()) add({ entry, scheme, host, path: '/', method: 'GET', headers: {}, reason: `TLS passthrough on port ${s.port}`, gateways: keys, ...(port ? { port } : {}) });
        continue;
      }
      for (const host of [...hosts].sort()) {
        const vss = bound.filter((v) => v.hosts.some((h) => istioHostMatches(h, host) || istioHostMatches(host, h)));
        for (const v of httpVariants(vss)) {
          add({ entry, scheme, host, path: v.path, ...(v.query ? { query: v.query } : {}), method: v.method, headers: v.headers, reason: `${v.reason} (port ${s.port})`, gateways: keys, ...(port ? { port } : {}) });
        }
      }
    }
  }
  return [...out.values()];
}

/** Probes sent inside the mesh to the Services of mesh-bound VirtualServices. */
export function meshProbes(ctx: Context, entry: string): Probe[] {
  const out = new Map<string, Probe>();
  const services = new Set<string>();
  for (const vs of ctx.objects.virtualServices) {
    if (!vs.gateways.includes('mesh')) continue;
    for (const h of vs.hosts) {
      const svc = serviceOfFqdn(h);
      if (svc) services.add(svc);
      else if (h.includes('*')) for (const k of ctx.objects.services.keys()) if (istioHostMatches(h, `${k.split('/')[1]}.${k.split('/')[0]}.${DOMAIN}`)) services.add(k);
    }
  }
  for (const service of [...services].sort()) {
    const [ns, name] = service.split('/') as [string, string];
    const fqdn = `${name}.${ns}.${DOMAIN}`;
    const vs = meshVirtualService(ctx, fqdn);
    if (!vs) continue;
    if (vs.tcp.length > 0) {
      for (const port of meshPorts(ctx, service, vs)) {
        const p: Probe = { entry, scheme: 'tcp', host: fqdn, path: '/', method: 'GET', headers: {}, reason: `mesh: a TCP connection to Service ${service} port ${port}`, mesh: { service, port } };
        out.set(key(p), p);
      }
    }
    if (vs.http.length === 0) continue;
    for (const port of meshPorts(ctx, service, vs)) {
      for (const v of httpVariants([vs])) {
        const p: Probe = { entry, scheme: 'http', host: fqdn, path: v.path, ...(v.query ? { query: v.query } : {}), method: v.method, headers: v.headers, reason: `mesh: ${v.reason} (Service ${service} port ${port})`, mesh: { service, port } };
        const k = key(p);
        if (!out.has(k)) out.set(k, p);
      }
    }
  }
  return [...out.values()];
}
