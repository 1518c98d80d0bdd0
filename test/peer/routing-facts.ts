/**
 * Test helper: what a set of Gateway API objects does with traffic, as comparable facts instead
 * of text: listeners (port, protocol, hostname), and for each route hostname and match, the
 * outcome (a redirect, or the backends with their share of the requests, `none` when no backend
 * gets any: no backendRef, or only weight 0), the path/host rewrite, and the ReferenceGrants.
 */
import { parseAllDocuments } from 'yaml';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${k}:${sortedJson(v[k])}`).join(',')}}`;
  return String(v);
}

function matchText(m: Obj): string {
  const path = isObj(m.path) ? m.path : { type: 'PathPrefix', value: '/' };
  const parts = [`${String(path.type ?? 'PathPrefix')}:${String(path.value ?? '/')}`];
  const pairs = (list: unknown) =>
    arr(list)
      .filter(isObj)
      .map((h) => `${String(h.name)}=${String(h.type ?? 'Exact')}:${String(h.value)}`)
      .sort();
  const h = pairs(m.headers);
  if (h.length) parts.push(`headers ${h.join(',')}`);
  const q = pairs(m.queryParams);
  if (q.length) parts.push(`query ${q.join(',')}`);
  if (typeof m.method === 'string') parts.push(`method ${m.method}`);
  return parts.join(' ');
}

function backends(list: unknown, routeNs: string): string {
  const refs = arr(list)
    .filter(isObj)
    .map((b) => ({ id: `${String(b.namespace ?? routeNs)}/${String(b.name)}${b.port === undefined ? '' : `:${String(b.port)}`}`, w: typeof b.weight === 'number' ? b.weight : 1 }));
  const total = refs.reduce((s, r) => s + r.w, 0);
  if (total === 0) return 'none';
  return refs
    .filter((r) => r.w > 0)
    .map((r) => `${r.id}@${(r.w / total).toFixed(2)}`)
    .sort()
    .join(',');
}

/** Whether a listener's allowedRoutes admit routes of a namespace (default: the Gateway's own). */
function admits(listener: Obj, gwNs: string, routeNs: string): boolean {
  const ar = isObj(listener.allowedRoutes) ? listener.allowedRoutes : {};
  const nss = isObj(ar.namespaces) ? ar.namespaces : {};
  const from = typeof nss.from === 'string' ? nss.from : 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === gwNs;
  const sel = isObj(nss.selector) ? nss.selector : {};
  return arr(sel.matchExpressions)
    .filter(isObj)
    .some((e) => e.key === 'kubernetes.io/metadata.name' && e.operator === 'In' && arr(e.values).includes(routeNs));
}

/** Where each route attaches: a Gateway of the objects (accepted or not admitted), another Gateway, or a Service (GAMMA). */
function attachFacts(objects: readonly Obj[], out: Set<string>): void {
  const gateways = new Map<string, Obj>();
  for (const o of objects) {
    const md = isObj(o.metadata) ? o.metadata : {};
    if (o.kind === 'Gateway') gateways.set(`${String(md.namespace ?? 'default')}/${String(md.name)}`, o);
  }
  for (const o of objects) {
    if (!['HTTPRoute', 'TLSRoute', 'TCPRoute', 'GRPCRoute'].includes(String(o.kind))) continue;
    const md = isObj(o.metadata) ? o.metadata : {};
    const ns = String(md.namespace ?? 'default');
    const spec = isObj(o.spec) ? o.spec : {};
    const what = `${String(o.kind)} ${arr(spec.hostnames).length ? arr(spec.hostnames).map(String).join(',') : '*'}`;
    const refs = arr(spec.parentRefs).filter(isObj);
    if (refs.length === 0) out.add(`attach ${what} to nothing`);
    for (const ref of refs) {
      const kind = typeof ref.kind === 'string' ? ref.kind : 'Gateway';
      const target = `${String(ref.namespace ?? ns)}/${String(ref.name)}`;
      if (kind === 'Service') {
        out.add(`attach ${what} to Service ${target}${ref.port === undefined ? '' : `:${String(ref.port)}`}`);
        continue;
      }
      const gw = gateways.get(target);
      if (!gw) {
        out.add(`attach ${what} to Gateway ${target} (not in the output)`);
        continue;
      }
      const gwSpec = isObj(gw.spec) ? gw.spec : {};
      const listeners = arr(gwSpec.listeners)
        .filter(isObj)
        .filter((l) => ref.sectionName === undefined || l.name === ref.sectionName);
      const ok = listeners.some((l) => admits(l, target.split('/')[0]!, ns));
      out.add(`attach ${what} to Gateway ${target}: ${ok ? 'accepted' : 'not admitted'}`);
    }
  }
}

export function routingFacts(objects: readonly Obj[]): string[] {
  const out = new Set<string>();
  attachFacts(objects, out);
  for (const o of objects) {
    const md = isObj(o.metadata) ? o.metadata : {};
    const ns = typeof md.namespace === 'string' ? md.namespace : 'default';
    const spec = isObj(o.spec) ? o.spec : {};
    if (o.kind === 'Gateway') {
      for (const l of arr(spec.listeners).filter(isObj)) out.add(`listener ${ns}/${String(md.name)} ${String(l.port)}/${String(l.protocol)}/${typeof l.hostname === 'string' ? l.hostname : '*'}`);
    } else if (o.kind === 'HTTPRoute') {
      const hosts = arr(spec.hostnames).length ? arr(spec.hostnames).map(String) : ['*'];
      for (const rule of arr(spec.rules).filter(isObj)) {
        const filters = arr(rule.filters).filter(isObj);
        const redirect = filters.find((f) => f.type === 'RequestRedirect');
        const rewrite = filters.find((f) => f.type === 'URLRewrite');
        let outcome = redirect ? `redirect ${sortedJson(redirect.requestRedirect)}` : backends(rule.backendRefs, ns);
        if (!redirect && rewrite) outcome += ` rewrite ${sortedJson(rewrite.urlRewrite)}`;
        const matches = arr(rule.matches).filter(isObj);
        for (const m of matches.length ? matches : [{}]) for (const h of hosts) out.add(`http ${h} ${matchText(m)} -> ${outcome}`);
      }
    } else if (o.kind === 'TLSRoute' || o.kind === 'TCPRoute') {
      const hosts = o.kind === 'TLSRoute' ? arr(spec.hostnames).map(String) : ['*'];
      for (const rule of arr(spec.rules).filter(isObj)) for (const h of hosts) out.add(`${o.kind === 'TLSRoute' ? 'tls' : 'tcp'} ${h} -> ${backends(rule.backendRefs, ns)}`);
    } else if (o.kind === 'ReferenceGrant') {
      for (const f of arr(spec.from).filter(isObj)) {
        for (const t of arr(spec.to).filter(isObj)) out.add(`grant ${String(f.kind)} from ${String(f.namespace)} to ${String(t.kind)} ${ns}/${String(t.name ?? '*')}`);
      }
    }
  }
  return [...out].sort();
}

export function parseObjects(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter(isObj);
}
