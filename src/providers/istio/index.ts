/**
 * Istio (networking.istio.io v1, v1beta1, v1alpha3): Gateways, VirtualServices, and the
 * DestinationRules and ServiceEntries they refer to, translated as whole resources. Every field
 * of a Gateway or VirtualService spec is consumed or named in a finding (its rule table).
 */
import type { SourceDocument } from '../../inputs/document.js';
import type { RouteIntent } from '../../ir/types.js';
import { accountFields } from '../common/fields.js';
import type { ResourceContext, ResourceOrigin, ResourceProvider } from '../types.js';
import { translateGateway, type IstioGateway } from './gateway.js';
import { ServiceEntries, resolveHost, type HostEnv } from './hosts.js';
import { ObjReader, isRecord } from './read.js';
import { ISTIO_GROUP, ISTIO_RULES, ISTIO_RULES_BY_KEY } from './rules.js';
import { translateVirtualService, type VsEnv } from './virtual-service.js';

function servicePorts(doc: SourceDocument | undefined): number[] | undefined {
  if (!doc) return undefined;
  const spec = isRecord(doc.object.spec) ? doc.object.spec : {};
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  return ports.filter(isRecord).map((p) => p.port).filter((p): p is number => typeof p === 'number');
}

/**
 * Documents of one kind, the first of each namespace/name (the others reported), in
 * namespace/name order, so that the output does not depend on the order of the input files.
 */
function unique(ctx: ResourceContext, docs: readonly SourceDocument[]): SourceDocument[] {
  const seen = new Map<string, SourceDocument>();
  const out: SourceDocument[] = [];
  for (const d of docs) {
    const k = `${d.object.metadata.namespace ?? 'default'}/${d.object.metadata.name ?? ''}`;
    const first = seen.get(k);
    if (first) {
      ctx.report({
        ruleId: 'input/duplicate-object',
        severity: 'warning',
        message: `${d.object.kind} ${k} is defined more than once; the first definition (${first.position.file}:${first.position.line}) was used`,
        doc: d,
      });
      continue;
    }
    if (!d.object.metadata.name) {
      ctx.report({ ruleId: 'istio/missing-name', severity: 'warning', message: `${d.object.kind} has no metadata.name; it was skipped`, doc: d });
      continue;
    }
    seen.set(k, d);
    out.push(d);
  }
  const key = (d: SourceDocument) => `${d.object.metadata.namespace ?? 'default'}\u0000${d.object.metadata.name ?? ''}`;
  return out.map((d) => ({ d, k: key(d) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.d);
}

export const istio: ResourceProvider = {
  id: 'istio',
  displayName: 'Istio',
  kinds: [{ group: ISTIO_GROUP, kinds: ['Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry'] }],
  rules: ISTIO_RULES,
  translate(ctx, documents) {
    const of = (kind: string) => unique(ctx, documents.filter((d) => d.object.kind === kind));
    const gatewayDocs = of('Gateway');
    const vsDocs = of('VirtualService');
    const destinationRules = of('DestinationRule');
    const hostEnv: HostEnv = {
      serviceEntries: new ServiceEntries(of('ServiceEntry')),
      hasService: (ns, name) => ctx.service(ns, name) !== undefined,
      namespaces: ctx.namespaces,
    };
    const routes: RouteIntent[] = [];
    const gateways = new Map<string, IstioGateway>();
    const readers: ObjReader[] = [];
    for (const doc of gatewayDocs) {
      const r = new ObjReader(ctx, doc);
      readers.push(r);
      const gw = translateGateway(ctx, r, routes);
      if (!gw) continue;
      gateways.set(gw.key, gw);
      ctx.ir.gateways.push(gw.intent);
    }
    const env: VsEnv = {
      ctx,
      hosts: hostEnv,
      gateways,
      boundHosts: new Map(),
      meshOwners: meshOwners(vsDocs, hostEnv),
      hostBindings: [],
      servicePorts: (ns, name) => servicePorts(ctx.service(ns, name)),
      destinationRules,
    };
    for (const doc of vsDocs) {
      const r = new ObjReader(ctx, doc);
      readers.push(r);
      routes.push(...translateVirtualService(r, env));
    }
    reportWildcardLeaks(env.hostBindings);
    ctx.ir.routes.push(...routes);
    // DestinationRules are not translated: their traffic policies stay with Istio.
    for (const dr of destinationRules) {
      const spec = isRecord(dr.object.spec) ? dr.object.spec : {};
      if (spec.trafficPolicy !== undefined || (Array.isArray(spec.subsets) && spec.subsets.some((s) => isRecord(s) && s.trafficPolicy !== undefined))) {
        ctx.report({
          ruleId: 'istio/destination-rule-policy',
          severity: 'info',
          message: `DestinationRule ${dr.object.metadata.namespace ?? 'default'}/${dr.object.metadata.name ?? ''} sets traffic policies (load balancing, connection pools, outlier detection, TLS to ${typeof spec.host === 'string' ? spec.host : 'its host'}); Istio keeps applying them to Gateway API routes, other implementations ignore them`,
          remediation: 'Keep the DestinationRule with Istio, or express its policies with your implementation (BackendTLSPolicy for TLS to the backend).',
          doc: dr,
          path: ['spec', 'trafficPolicy'],
        });
      }
    }
    return readers.map((r): ResourceOrigin => {
      const untranslated = accountFields(ctx, 'istio', ISTIO_RULES_BY_KEY, r.use);
      return { doc: r.doc, ref: r.ref, provider: 'istio', translated: [...r.use.keys].filter((k) => ISTIO_RULES_BY_KEY.has(k)).sort(), untranslated: untranslated.sort() };
    });
  },
};

/**
 * For each Service named by a mesh-bound VirtualService, the VirtualService Istio's sidecars
 * follow: the first in push_context order (creation time, then name, then namespace) whose hosts
 * name it (short name or name.namespace.svc.cluster.local; Istio does not resolve partial names).
 */
function meshOwners(vsDocs: readonly SourceDocument[], hosts: HostEnv): Map<string, SourceDocument> {
  const created = (d: SourceDocument) => (typeof d.object.metadata.creationTimestamp === 'string' ? d.object.metadata.creationTimestamp : '');
  const order = [...vsDocs].sort((a, b) => {
    const ca = created(a) || '~';
    const cb = created(b) || '~';
    if (ca !== cb) return ca < cb ? -1 : 1;
    const na = a.object.metadata.name ?? '';
    const nb = b.object.metadata.name ?? '';
    if (na !== nb) return na < nb ? -1 : 1;
    const sa = a.object.metadata.namespace ?? 'default';
    const sb = b.object.metadata.namespace ?? 'default';
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  });
  const out = new Map<string, SourceDocument>();
  for (const d of order) {
    const spec = isRecord(d.object.spec) ? d.object.spec : {};
    const gws = Array.isArray(spec.gateways) ? spec.gateways.filter((g): g is string => typeof g === 'string') : [];
    if (gws.length > 0 && !gws.includes('mesh')) continue;
    const ns = d.object.metadata.namespace ?? 'default';
    for (const h of Array.isArray(spec.hosts) ? spec.hosts : []) {
      if (typeof h !== 'string') continue;
      const t = resolveHost(h.toLowerCase(), ns, hosts);
      if (t.kind !== 'service' || t.form === 'partial') continue;
      const k = `${t.namespace}/${t.name}`;
      if (!out.has(k)) out.set(k, d);
    }
  }
  return out;
}

/** Whether a VirtualService has an http route that takes every request (no match, or a bare `/` prefix). */
function hasCatchAll(r: ObjReader): boolean {
  const spec = isRecord(r.doc.object.spec) ? r.doc.object.spec : {};
  const bare = (v: unknown) => v === undefined || (isRecord(v) && Object.keys(v).length === 0);
  return (Array.isArray(spec.http) ? spec.http : []).some((h) => {
    if (!isRecord(h)) return false;
    const ms = Array.isArray(h.match) ? h.match.filter(isRecord) : [];
    if (ms.length === 0) return true;
    return ms.some((m) => {
      const u = isRecord(m.uri) ? m.uri : undefined;
      const all = !u || u.prefix === '/' || u.regex === '.*';
      return all && ['headers', 'withoutHeaders', 'queryParams', 'method', 'authority', 'scheme', 'port', 'gateways', 'sourceLabels', 'sourceNamespace'].every((k) => bare(m[k]));
    });
  });
}

/**
 * Istio gives a request to one virtual host, the most specific of the host names bound to the
 * gateway (pilot networking/core/gateway.go, Envoy's virtual host selection): a request for a
 * named host that matches none of its routes gets 404. Gateway API ranks the rules of every route
 * whose hostnames match the request, so the rules of a wildcard (or `*`) VirtualService on the
 * same Gateway also take the requests the named host's routes do not match.
 */
function reportWildcardLeaks(bindings: readonly { gateway: string; host: string; r: ObjReader }[]): void {
  const byGateway = new Map<string, { host: string; r: ObjReader }[]>();
  for (const { gateway, host, r } of bindings) {
    let l = byGateway.get(gateway);
    if (!l) byGateway.set(gateway, (l = []));
    l.push({ host, r });
  }
  const covers = (w: string, h: string) => w !== h && (w === '*' || (w.startsWith('*.') && h.endsWith(w.slice(1))));
  const reported = new Set<string>();
  for (const [gw, list] of byGateway) {
    const rooted = new Set(list.filter((x) => hasCatchAll(x.r)).map((x) => x.host));
    for (const w of list.filter((x) => x.host.startsWith('*'))) {
      const spec = isRecord(w.r.doc.object.spec) ? w.r.doc.object.spec : {};
      if (!Array.isArray(spec.http) || spec.http.length === 0) continue;
      const covered = [...new Set(list.filter((x) => x.r !== w.r && covers(w.host, x.host) && !rooted.has(x.host)).map((x) => x.host))].sort();
      if (covered.length === 0) continue;
      const hosts = Array.isArray(spec.hosts) ? spec.hosts : [];
      const i = hosts.findIndex((h) => typeof h === 'string' && (h.toLowerCase() === w.host || (w.host !== '*' && h.toLowerCase() === w.host)));
      const key = `${gw} ${w.host} ${w.r.namespace}/${w.r.name}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const shown = covered.slice(0, 5).join(', ') + (covered.length > 5 ? ` and ${covered.length - 5} more` : '');
      w.r.note(
        i >= 0 ? ['spec', 'hosts', i] : ['spec', 'hosts'],
        'istio/wildcard-reaches-hosts',
        'warning',
        `the routes of host ${w.host} will also receive the requests for ${shown} that none of those hosts' routes match; Istio answered them 404 (a request goes to the virtual host of its most specific name only), Gateway API ranks the rules of every route whose hostnames match`,
        'Give the named hosts a catch-all route of their own if they must keep answering 404, or accept the wider wildcard.',
      );
    }
  }
}
