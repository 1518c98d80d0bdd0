/**
 * IR -> Gateway API objects (standard channel shapes). Lays out listeners, attaches routes to
 * them, admits exactly the namespaces that have routes, adds the minimal ReferenceGrants, and
 * keeps every object within Gateway API's limits (64 listeners, 16 rules, 16 backendRefs).
 */
import type { Finding, ObjectRef } from '../findings/finding.js';
import type { KubeObject } from '../inputs/document.js';
import type { GatewayIntent, IR, ListenerIntent, Provenance, RouteIntent, RuleIntent, TlsIntent } from '../ir/types.js';
import { NameRegistry, hostSlug, toDnsSubdomain } from './names.js';
import { GATEWAY_API_GROUP } from '../ir/k8s-names.js';
import { backendReferenceGrants, MAX_GRANT_ENTRIES } from './reference-grants.js';

export { GATEWAY_API_GROUP };
export const ANNOTATION_SOURCES = 'gateway-shift.io/sources';
export const ANNOTATION_GENERATED_BY = 'gateway-shift.io/generated-by';

export const MAX_LISTENERS = 64;
export const MAX_RULES = 16;
export const MAX_MATCHES = 128;
const MAX_SOURCES_LISTED = 10;

export interface ParentRefOverride {
  namespace: string;
  name: string;
  sectionName?: string;
}

export interface EmitOptions {
  toolVersion: string;
  /** Attach routes to this existing Gateway and emit no Gateway. */
  parentRef?: ParentRefOverride;
  /** controllerName per gatewayClassName for which a GatewayClass object is emitted. */
  gatewayClassControllers: Record<string, string>;
}

export interface EmitResult {
  objects: KubeObject[];
  findings: Finding[];
  /** The route objects emitted for each route intent (several when it was split). */
  routeNames: Map<RouteIntent, string[]>;
  /** The HTTPS listener serving `hostname` on the Gateway of `gatewayKey`, if one was laid out. */
  httpsListener(gatewayKey: string, hostname: string): ListenerPlacement | undefined;
}

export interface ListenerPlacement {
  /** Gateway or ListenerSet holding the listener. */
  kind: 'Gateway' | 'ListenerSet';
  name: string;
  namespace: string;
  sectionName: string;
}

function refKey(r: ObjectRef): string {
  return `${r.kind}/${r.namespace ?? ''}/${r.name ?? ''}`;
}

/** Sorts by a string key computed once per element (not once per comparison). */
export function sortByKey<T>(items: readonly T[], key: (t: T) => string): T[] {
  const keyed = items.map((item) => ({ item, k: key(item) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.item);
}

/** `Ingress/ns/name` list, deduplicated and sorted, shortened for large sets. */
export function sourcesAnnotation(prov: readonly Provenance[]): string {
  const keys = [...new Set(prov.map((p) => refKey(p.object)))].sort();
  if (keys.length <= MAX_SOURCES_LISTED) return keys.join(', ');
  return `${keys.slice(0, MAX_SOURCES_LISTED).join(', ')} and ${keys.length - MAX_SOURCES_LISTED} more`;
}

export function metadata(name: string, namespace: string | undefined, prov: readonly Provenance[] | string, opts: EmitOptions, extra: Record<string, string> = {}): Record<string, unknown> {
  const annotations: Record<string, string> = { ...extra };
  annotations[ANNOTATION_GENERATED_BY] = `gateway-shift ${opts.toolVersion}`;
  const sources = typeof prov === 'string' ? prov : prov.length > 0 ? sourcesAnnotation(prov) : '';
  if (sources) annotations[ANNOTATION_SOURCES] = sources;
  const md: Record<string, unknown> = { name };
  if (namespace !== undefined) md.namespace = namespace;
  md.annotations = sortKeys(annotations);
  return md;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k] as T;
  return out;
}

/** Ingress wildcard semantics: `*.example.com` covers exactly one extra label. */
export function wildcardCovers(wildcard: string, host: string): boolean {
  if (!wildcard.startsWith('*.')) return false;
  const suffix = wildcard.slice(1);
  if (!host.endsWith(suffix)) return false;
  const label = host.slice(0, host.length - suffix.length);
  return label.length > 0 && !label.includes('.') && label !== '*';
}

/** The TLS listener host that serves `host`: the same host, else a wildcard that covers it. */
export function tlsHostFor(host: string, tlsHosts: { has(h: string): boolean }): string | undefined {
  if (host === '') return undefined;
  if (tlsHosts.has(host)) return host;
  const dot = host.indexOf('.');
  if (dot > 0 && !host.startsWith('*.')) {
    const wc = '*' + host.slice(dot);
    if (tlsHosts.has(wc)) return wc;
  }
  return undefined;
}

function namespaceAdmission(gatewayNamespace: string, namespaces: ReadonlySet<string>): Record<string, unknown> {
  const list = [...namespaces].sort();
  if (list.length === 0 || (list.length === 1 && list[0] === gatewayNamespace)) {
    return { namespaces: { from: 'Same' } };
  }
  return {
    namespaces: {
      from: 'Selector',
      selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: list }] },
    },
  };
}

function emitMatch(m: RuleIntent['matches'][number]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.path) out.path = { type: m.path.type, value: m.path.value };
  if (m.headers && m.headers.length) out.headers = m.headers.map((h) => ({ name: h.name, type: h.type, value: h.value }));
  if (m.queryParams && m.queryParams.length) out.queryParams = m.queryParams.map((h) => ({ name: h.name, type: h.type, value: h.value }));
  if (m.method) out.method = m.method;
  return out;
}

function emitRule(rule: RuleIntent, routeNamespace: string, kind: RouteIntent['kind']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (rule.name) out.name = rule.name;
  if (kind === 'GRPCRoute') {
    // GRPCRouteMatch: the method and the header matches (a canary's, say) of the rule.
    const match: Record<string, unknown> = {};
    if (rule.grpcMethod && (rule.grpcMethod.service || rule.grpcMethod.method)) match.method = { type: 'Exact', ...rule.grpcMethod };
    const headers = rule.matches[0]?.headers;
    if (headers?.length) match.headers = headers.map((h) => ({ name: h.name, type: h.type, value: h.value }));
    if (Object.keys(match).length) out.matches = [match];
  } else if (kind === 'HTTPRoute') out.matches = rule.matches.map(emitMatch);
  // TLSRoute and TCPRoute rules have no matches: the hostnames (SNI) or the listener select the route.
  if (rule.filters.length) out.filters = rule.filters;
  if (rule.backends.length) {
    out.backendRefs = rule.backends.map((b) => {
      const ref: Record<string, unknown> = {};
      if (b.group !== undefined) ref.group = b.group;
      if (b.kind !== undefined) ref.kind = b.kind;
      ref.name = b.name;
      if (b.namespace !== routeNamespace) ref.namespace = b.namespace;
      if (b.port !== undefined) ref.port = b.port;
      if (b.weight !== undefined) ref.weight = b.weight;
      if (b.filters?.length) ref.filters = b.filters;
      return ref;
    });
  }
  if (rule.timeouts && (rule.timeouts.request || rule.timeouts.backendRequest)) out.timeouts = { ...rule.timeouts };
  if (rule.retry) out.retry = { ...rule.retry };
  if (rule.sessionPersistence) out.sessionPersistence = structuredClone(rule.sessionPersistence);
  return out;
}

/** Splits rules into chunks that respect the per-route limits (16 rules, 128 matches). */
function chunkRules(rules: readonly RuleIntent[]): RuleIntent[][] {
  const chunks: RuleIntent[][] = [];
  let cur: RuleIntent[] = [];
  let matches = 0;
  for (const r of rules) {
    const m = Math.max(1, r.matches.length);
    if (cur.length > 0 && (cur.length >= MAX_RULES || matches + m > MAX_MATCHES)) {
      chunks.push(cur);
      cur = [];
      matches = 0;
    }
    cur.push(r);
    matches += m;
  }
  if (cur.length > 0) chunks.push(cur);
  return chunks;
}

interface GatewayLayout {
  intent: GatewayIntent;
  tlsByHost: Map<string, TlsIntent>;
  /** Listener placement per TLS host. */
  https: Map<string, ListenerPlacement>;
  /** Listener placement per host whose TLS connections are passed through (TLS listener, TLSRoutes). */
  passthrough: Map<string, ListenerPlacement>;
  http: ListenerPlacement;
  /**
   * HTTP listeners (port 80) of their own for hosts of GRPCRoutes that would share the `http`
   * listener with HTTPRoutes whose hostnames intersect theirs (see grpcHttpHosts).
   */
  grpcHttp: Map<string, ListenerPlacement>;
  /** The listeners of an explicit layout (GatewayIntent.listeners), by name. */
  explicit?: Map<string, ListenerPlacement>;
  /** With --parent-ref, whether the port attachment of this layout's routes was reported. */
  portsReported?: boolean;
  /** Namespaces of routes attached to each listener (by placement key). */
  admitted: Map<string, Set<string>>;
}

function placementKey(p: ListenerPlacement): string {
  return `${p.kind}/${p.name}/${p.sectionName}`;
}

export function emitGatewayApi(ir: IR, opts: EmitOptions): EmitResult {
  const objects: KubeObject[] = [];
  const findings: Finding[] = [];
  const names = new NameRegistry();
  const layouts = new Map<string, GatewayLayout>();

  // Hosts whose TLS connections a TLSRoute takes unterminated, per Gateway.
  const passthroughHosts = new Map<string, Set<string>>();
  for (const r of ir.routes) {
    if (!r.attach.passthrough) continue;
    let s = passthroughHosts.get(r.gatewayKey);
    if (!s) passthroughHosts.set(r.gatewayKey, (s = new Set()));
    for (const h of r.hostnames) s.add(h);
  }

  for (const gw of [...ir.gateways].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    names.claim('Gateway', gw.namespace, gw.name);
    const ptHosts = passthroughHosts.get(gw.key) ?? new Set<string>();
    const tlsByHost = new Map<string, TlsIntent>();
    for (const t of ir.tls) {
      if (t.gatewayKey !== gw.key || tlsByHost.has(t.hostname)) continue;
      if (ptHosts.has(t.hostname)) {
        // A Passthrough and a Terminate listener for one hostname on port 443 would both claim
        // the same SNI; the provider drops the certificate of a passed-through host.
        findings.push({
          ruleId: 'core/tls-passthrough-conflict',
          severity: 'warning',
          message: `${t.hostname} has both a certificate (${t.secret.namespace}/${t.secret.name}) and a TLSRoute that passes its TLS connections through; only the TLS Passthrough listener was generated`,
          ...provFields(t.provenance[0]),
        });
        continue;
      }
      tlsByHost.set(t.hostname, t);
    }
    const hosts = [...new Set([...tlsByHost.keys(), ...ptHosts])].sort();
    const https = new Map<string, ListenerPlacement>();
    const passthrough = new Map<string, ListenerPlacement>();
    // Listener names must be unique and at most 253 characters: `*.a.com` and `wildcard.a.com`
    // slug alike, and a 250-character host needs shortening.
    const listenerNames = new NameRegistry();
    listenerNames.claim('listener', '', 'http');
    const sectionFor = (h: string): string => listenerNames.claim('listener', '', `${ptHosts.has(h) ? 'tls' : 'https'}-${hostSlug(h)}`);
    const grpcHttp = new Map<string, ListenerPlacement>();
    if (!gw.listeners && !opts.parentRef) {
      for (const h of grpcHttpHosts(ir.routes.filter((r) => r.gatewayKey === gw.key)).slice(0, MAX_LISTENERS - 1)) {
        grpcHttp.set(h, { kind: 'Gateway', name: gw.name, namespace: gw.namespace, sectionName: listenerNames.claim('listener', '', `http-${hostSlug(h)}`) });
        findings.push({
          ruleId: 'core/grpc-http-listener',
          severity: 'info',
          message: `the GRPCRoute for ${h} got an HTTP listener of its own on Gateway ${gw.namespace}/${gw.name}: on the shared listener it would have met HTTPRoutes whose hostnames include ${h} (routes without hostnames, or a wildcard), and Gateway API accepts only one of an HTTPRoute and a GRPCRoute with hostnames in common on a listener; requests for ${h} now reach only its own routes, as they reached only its server in the Ingress controller`,
          ...provFields(ir.routes.find((r) => r.gatewayKey === gw.key && r.kind === 'GRPCRoute' && r.hostnames.includes(h))?.provenance[0]),
        });
      }
    }
    // The Gateway keeps the HTTP listeners and as many port-443 listeners (HTTPS, or TLS
    // Passthrough) as fit; the rest go to ListenerSets attached to it (one load balancer, as the
    // Ingress controller had).
    const inGateway = MAX_LISTENERS - 1 - grpcHttp.size;
    hosts.forEach((h, i) => {
      const into = ptHosts.has(h) ? passthrough : https;
      if (i < inGateway) {
        into.set(h, { kind: 'Gateway', name: gw.name, namespace: gw.namespace, sectionName: sectionFor(h) });
      } else {
        const setIndex = Math.floor((i - inGateway) / MAX_LISTENERS) + 1;
        into.set(h, {
          kind: 'ListenerSet',
          name: toDnsSubdomain(`${gw.name}-https-${setIndex}`),
          namespace: gw.namespace,
          sectionName: sectionFor(h),
        });
      }
    });
    const layout: GatewayLayout = {
      intent: gw,
      tlsByHost,
      https,
      passthrough,
      http: { kind: 'Gateway', name: gw.name, namespace: gw.namespace, sectionName: 'http' },
      grpcHttp,
      admitted: new Map(),
    };
    if (gw.listeners) {
      layout.explicit = new Map(gw.listeners.map((l) => [l.name, { kind: 'Gateway', name: gw.name, namespace: gw.namespace, sectionName: l.name }] as const));
      if (gw.listeners.length > MAX_LISTENERS) {
        findings.push({
          ruleId: 'core/too-many-listeners',
          severity: 'error',
          message: `Gateway ${gw.namespace}/${gw.name} needs ${gw.listeners.length} listeners; Gateway API allows ${MAX_LISTENERS}, so the Gateway is not valid`,
          remediation: 'Split the ports over several Gateways.',
          ...provFields(gw.provenance[0]),
        });
      }
    }
    layouts.set(gw.key, layout);
  }

  // Routes, in a stable order so that name collisions resolve the same way every run.
  const routes = sortByKey(ir.routes, (r) => `${r.namespace}/${r.name}/${r.hostnames.join(',')}`);
  const routeObjects: KubeObject[] = [];
  const routeNames = new Map<RouteIntent, string[]>();
  const tlsReported = new Set<string>();
  for (const route of routes) {
    const layout = layouts.get(route.gatewayKey);
    // Routes of an explicit listener layout attach to the existing Gateway by port (below), so a
    // redirect route on the HTTP port does not meet the routes of the HTTPS port.
    if (opts.parentRef && !route.attach.listeners && (route.httpsRedirectFor !== undefined || route.attach.https)) {
      // The existing Gateway's listeners are unknown: attaching the redirect twin to the same
      // parent as the route would make both match the same requests.
      const host = route.hostnames[0] ?? '';
      if (!tlsReported.has(host)) {
        tlsReported.add(host);
        const tls = layout?.tlsByHost.get(tlsHostFor(host, layout.tlsByHost) ?? '');
        // Whether the host's HTTP requests were redirected to HTTPS (a redirect twin exists).
        const redirected = ir.routes.some((r) => r.httpsRedirectFor !== undefined && r.gatewayKey === route.gatewayKey && (r.hostnames[0] ?? '') === host);
        findings.push({
          ruleId: 'core/parent-ref-tls',
          severity: 'warning',
          message: redirected
            ? `${host || 'every host'} was served over HTTPS${tls ? ` with the certificate ${tls.secret.namespace}/${tls.secret.name}` : ''} and HTTP was redirected to HTTPS; with --parent-ref the existing Gateway ${opts.parentRef.namespace}/${opts.parentRef.name} must provide that HTTPS listener and the redirect, which were not generated`
            : `${host || 'every host'} was served over HTTPS${tls ? ` with the certificate ${tls.secret.namespace}/${tls.secret.name}` : ''}; with --parent-ref the existing Gateway ${opts.parentRef.namespace}/${opts.parentRef.name} must provide that HTTPS listener, which was not generated`,
          remediation: 'Check the existing Gateway has an HTTPS listener for this host, and add an HTTP-to-HTTPS redirect route on its HTTP listener, or give --parent-ref a section for the HTTPS listener.',
          ...provFields(route.provenance[0]),
        });
      }
      if (route.httpsRedirectFor !== undefined) continue;
    }
    if (opts.parentRef && route.attach.passthrough) {
      const host = route.hostnames.join(', ');
      if (!tlsReported.has(`passthrough ${host}`)) {
        tlsReported.add(`passthrough ${host}`);
        findings.push({
          ruleId: 'core/parent-ref-tls',
          severity: 'warning',
          message: `TLS connections for ${host} were passed through unterminated; with --parent-ref the existing Gateway ${opts.parentRef.namespace}/${opts.parentRef.name} must provide a TLS listener in Passthrough mode for ${host} (port 443, no HTTPS listener for that name), which was not generated; the TLSRoute attaches to the Gateway without a sectionName`,
          remediation: `Add a listener {protocol: TLS, port: 443, hostname: ${route.hostnames[0] ?? ''}, tls: {mode: Passthrough}} to the existing Gateway.`,
          ...provFields(route.provenance[0]),
        });
      }
    }
    const parentRefs = route.parents ? explicitParentRefs(route, layouts, opts, findings) : parentRefsFor(route, layout, opts, findings);
    if (parentRefs.length === 0) continue;
    // Gateway API allows one parentRef per Gateway and section: references that differ only by
    // port (an existing Gateway, --parent-ref) need a route object each.
    const byPort = parentRefs.length > 1 && parentRefs.every((r) => r.port !== undefined && r.sectionName === undefined);
    const refSets = byPort ? parentRefs.map((r) => [r]) : [parentRefs];
    const chunks = chunkRules(route.rules);
    for (const refs of refSets) {
      const base = byPort ? `${route.name}-${String(refs[0]!.port)}` : route.name;
      chunks.forEach((rules, i) => {
        const name = names.claim(route.kind, route.namespace, i === 0 ? base : `${base}-${i + 1}`);
        const emittedNames = routeNames.get(route);
        if (emittedNames) emittedNames.push(name);
        else routeNames.set(route, [name]);
        const spec: Record<string, unknown> = { parentRefs: refs };
        // A TCPRoute has no hostnames: its listener alone selects it.
        if (route.hostnames.length && route.kind !== 'TCPRoute') spec.hostnames = [...route.hostnames];
        spec.rules = rules.map((r) => emitRule(r, route.namespace, route.kind));
        routeObjects.push({
          apiVersion: `${GATEWAY_API_GROUP}/v1`,
          kind: route.kind,
          metadata: metadata(name, route.namespace, route.provenance, opts, route.annotations),
          spec,
        });
      });
    }
    if (chunks.length > 1) {
      findings.push({
        ruleId: 'core/route-split',
        severity: 'info',
        message: `${route.kind} ${route.namespace}/${route.name} has ${route.rules.length} rules; Gateway API allows ${MAX_RULES} per route, so it was split into ${chunks.length} routes (matching precedence is unchanged)`,
        ...provFields(route.provenance[0]),
      });
    }
  }

  if (!opts.parentRef) {
    // One GatewayClass per class name, however many Gateways use it.
    const classes = new Set<string>();
    for (const layout of layouts.values()) {
      const cls = layout.intent.gatewayClassName;
      const controller = opts.gatewayClassControllers[cls];
      if (!controller || classes.has(cls)) continue;
      classes.add(cls);
      objects.push({ apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: 'GatewayClass', metadata: metadata(cls, undefined, [], opts), spec: { controllerName: controller } });
    }
    for (const layout of [...layouts.values()]) {
      objects.push(...gatewayObjects(layout, opts, findings));
    }
    objects.push(...referenceGrants(layouts, opts));
  }
  objects.push(...backendReferenceGrants(routeObjects, routeProvenance(routeNames), names, opts, metadata));
  reportGrpcHttpConflicts(routeObjects, routes, routeNames, findings);
  objects.push(...routeObjects);
  // BackendTLSPolicy: one per Service (the provider keeps the first settings per Service).
  for (const b of sortByKey(ir.backendTls, (x) => `${x.namespace}/${x.service}`)) {
    objects.push({
      apiVersion: `${GATEWAY_API_GROUP}/v1`,
      kind: 'BackendTLSPolicy',
      metadata: metadata(names.claim('BackendTLSPolicy', b.namespace, b.service), b.namespace, b.provenance, opts),
      spec: {
        targetRefs: [{ group: '', kind: 'Service', name: b.service }],
        validation: { caCertificateRefs: [{ group: '', kind: 'Secret', name: b.caSecret }], hostname: b.hostname },
      },
    });
  }
  const httpsListener = (gatewayKey: string, hostname: string): ListenerPlacement | undefined => {
    if (opts.parentRef) return undefined;
    const layout = layouts.get(gatewayKey);
    const th = layout ? tlsHostFor(hostname, layout.tlsByHost) : undefined;
    return th === undefined ? undefined : layout?.https.get(th);
  };
  return { objects, findings, routeNames, httpsListener };
}

/**
 * The hosts of a Gateway's GRPCRoutes that get an HTTP listener of their own: exact hostnames of
 * GRPCRoutes on the HTTP listener that HTTPRoutes there intersect (a route without hostnames
 * intersects every one; a wildcard covers the host), when no HTTPRoute there names the host
 * itself. The Ingress controller served such a host from a server of its own, which neither the
 * catch-all nor a wildcard server shared: a listener with the hostname gives it the same
 * requests (Gateway API picks the most specific listener hostname), and keeps the GRPCRoute and
 * the HTTPRoutes on different listeners, where Gateway API would accept only one of them. A
 * host an HTTPRoute also names stays on `http` (its own listener would take the HTTPRoute's
 * requests away); so do wildcard hosts (their listener would take the requests of the hosts
 * under them).
 */
function grpcHttpHosts(routes: readonly RouteIntent[]): string[] {
  const onHttp = routes.filter((r) => r.attach.http && !r.attach.listeners);
  const httpRoutes = onHttp.filter((r) => r.kind === 'HTTPRoute');
  const named = new Set(httpRoutes.flatMap((r) => r.hostnames));
  const out = new Set<string>();
  for (const g of onHttp) {
    if (g.kind !== 'GRPCRoute') continue;
    for (const h of g.hostnames) {
      if (h.startsWith('*.') || named.has(h)) continue;
      if (httpRoutes.some((r) => hostsIntersect(r.hostnames, [h]))) out.add(h);
    }
  }
  return [...out].sort();
}

function hostsIntersect(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  const covers = (w: string, h: string) => w.startsWith('*.') && h.endsWith(w.slice(1)) && h.length > w.length - 1;
  return a.some((x) => b.some((y) => x === y || covers(x, y) || covers(y, x) || (x.startsWith('*.') && y.startsWith('*.') && (x.endsWith(y.slice(1)) || y.endsWith(x.slice(1))))));
}

/**
 * An HTTPRoute and a GRPCRoute on one listener with intersecting hostnames: Gateway API accepts
 * only one of them, the older, then the first by namespace/name (GRPCRoute spec.hostnames). The
 * routes are created together, so namespace/name decides: they are taken in that order, and a
 * route is refused on a listener where a route of the other kind already accepted there shares
 * hostnames with it (a refused route makes no later one lose).
 */
function reportGrpcHttpConflicts(objects: readonly KubeObject[], routes: readonly RouteIntent[], routeNames: Map<RouteIntent, string[]>, findings: Finding[]): void {
  const byObject = new Map<string, RouteIntent>();
  for (const r of routes) for (const n of routeNames.get(r) ?? []) byObject.set(`${r.kind}/${r.namespace}/${n}`, r);
  const parents = (o: KubeObject) => ((o.spec as { parentRefs?: Record<string, unknown>[] }).parentRefs ?? []).map((p) => `${String(p.namespace ?? o.metadata.namespace)}/${String(p.name)}/${String(p.sectionName ?? '')}`);
  const hostnames = (o: KubeObject) => ((o.spec as { hostnames?: string[] }).hostnames ?? []);
  const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
  if (!objects.some((o) => o.kind === 'GRPCRoute')) return;
  const ordered = sortByKey(
    objects.filter((o) => o.kind === 'GRPCRoute' || o.kind === 'HTTPRoute'),
    key,
  );
  // Accepted routes per listener, by kind: a route can only lose to one of the other kind.
  const accepted = new Map<string, { HTTPRoute: KubeObject[]; GRPCRoute: KubeObject[] }>();
  const reported = new Set<string>();
  for (const o of ordered) {
    const kind = o.kind as 'HTTPRoute' | 'GRPCRoute';
    const other = kind === 'HTTPRoute' ? 'GRPCRoute' : 'HTTPRoute';
    for (const p of parents(o)) {
      let there = accepted.get(p);
      if (!there) accepted.set(p, (there = { HTTPRoute: [], GRPCRoute: [] }));
      const kept = there[other].find((b) => hostsIntersect(hostnames(o), hostnames(b)));
      if (!kept) {
        there[kind].push(o);
        continue;
      }
      const id = `${o.kind}/${key(o)}`;
      if (reported.has(id)) continue;
      reported.add(id);
      const intent = byObject.get(id);
      findings.push({
        ruleId: 'core/grpc-http-route-conflict',
        severity: 'warning',
        message: `${o.kind} ${key(o)} and ${kept.kind} ${key(kept)} attach to the same listener with hostnames in common; Gateway API accepts only one of an HTTPRoute and a GRPCRoute there (the older, then the first by namespace/name), so ${o.kind} ${key(o)} is not accepted on it`,
        remediation: 'Give the gRPC paths a host of their own, or turn one of the routes into the other kind by hand.',
        ...provFields(intent?.provenance[0]),
      });
    }
  }
}

function provFields(p: Provenance | undefined): Partial<Finding> {
  if (!p) return {};
  const out: Partial<Finding> = { object: p.object };
  if (p.field !== undefined) out.field = p.field;
  if (p.position !== undefined) out.position = p.position;
  return out;
}

function parentRefsFor(route: RouteIntent, layout: GatewayLayout | undefined, opts: EmitOptions, findings: Finding[]): Record<string, unknown>[] {
  if (opts.parentRef) {
    const ref: Record<string, unknown> = { group: GATEWAY_API_GROUP, kind: 'Gateway', name: opts.parentRef.name };
    if (opts.parentRef.namespace !== route.namespace) ref.namespace = opts.parentRef.namespace;
    // The section named on the command line serves HTTP routes, not TLS passthrough.
    if (opts.parentRef.sectionName && !route.attach.passthrough) ref.sectionName = opts.parentRef.sectionName;
    else if (route.attach.listeners && layout?.intent.listeners) {
      // The listeners of an explicit layout are told apart by port: a parentRef per port
      // (Gateway API's Extended HTTPRouteParentRefPort feature).
      const ports = [...new Set(layout.intent.listeners.filter((l) => route.attach.listeners!.includes(l.name)).map((l) => l.port))].sort((a, b) => a - b);
      const every = new Set(layout.intent.listeners.map((l) => l.port));
      if (!layout.portsReported) {
        layout.portsReported = true;
        const all = layout.intent.listeners.map((l) => `${l.protocol} ${l.port}`).join(', ');
        findings.push({
          ruleId: 'core/parent-ref-ports',
          severity: 'info',
          message: `the routes of Gateway ${layout.intent.namespace}/${layout.intent.name} (not generated) attach to the existing Gateway ${opts.parentRef.namespace}/${opts.parentRef.name} by port: it needs listeners ${all}, and to support parentRef ports (Gateway API’s Extended HTTPRouteParentRefPort)`,
          remediation: 'Check the existing Gateway’s listeners, or give --parent-ref a section name to attach every route to one listener.',
          ...provFields(layout.intent.provenance[0]),
        });
      }
      // On every listener of the layout: no port needed.
      if (ports.length === every.size) return [ref];
      return ports.map((port) => ({ ...ref, port }));
    }
    return [ref];
  }
  if (!layout) return [];
  const placements: ListenerPlacement[] = [];
  if (layout.explicit) {
    for (const name of route.attach.listeners ?? []) {
      const p = layout.explicit.get(name);
      if (p && !placements.includes(p)) placements.push(p);
    }
  } else if (route.attach.http) {
    // A GRPCRoute's hosts with an HTTP listener of their own attach there; the rest to `http`.
    const own = route.kind === 'GRPCRoute' ? route.hostnames.map((h) => layout.grpcHttp.get(h)) : [];
    for (const p of own) if (p && !placements.includes(p)) placements.push(p);
    if (own.length === 0 || own.some((p) => p === undefined)) placements.push(layout.http);
  }
  if (route.attach.passthrough) {
    for (const h of route.hostnames) {
      const p = layout.passthrough.get(h);
      if (p && !placements.includes(p)) placements.push(p);
    }
  }
  if (route.attach.https) {
    for (const h of route.hostnames) {
      // A passed-through host's TLS connections never reach an HTTPS listener.
      if (layout.passthrough.has(h)) continue;
      const th = tlsHostFor(h, layout.tlsByHost);
      const p = th === undefined ? undefined : layout.https.get(th);
      if (p && !placements.includes(p)) placements.push(p);
    }
  }
  if (placements.length === 0) {
    findings.push({
      ruleId: 'core/route-unattached',
      severity: 'error',
      message: `${route.kind} ${route.namespace}/${route.name} has no listener to attach to`,
      ...provFields(route.provenance[0]),
    });
    return [];
  }
  return placements.map((p) => admitRef(layout, p, route));
}

/** The parentRef of a route on a listener placement, recording that the listener admits the route's namespace. */
function admitRef(layout: GatewayLayout, p: ListenerPlacement, route: RouteIntent): Record<string, unknown> {
  let admitted = layout.admitted.get(placementKey(p));
  if (!admitted) layout.admitted.set(placementKey(p), (admitted = new Set()));
  admitted.add(route.namespace);
  const ref: Record<string, unknown> = { group: GATEWAY_API_GROUP, kind: p.kind, name: p.name };
  if (p.namespace !== route.namespace) ref.namespace = p.namespace;
  ref.sectionName = p.sectionName;
  return ref;
}

function gatewayObjects(layout: GatewayLayout, opts: EmitOptions, findings: Finding[]): KubeObject[] {
  const gw = layout.intent;
  const out: KubeObject[] = [];
  const listenerFor = (host: string, p: ListenerPlacement): Record<string, unknown> => {
    if (layout.passthrough.get(host) === p) {
      return {
        name: p.sectionName,
        hostname: host,
        port: 443,
        protocol: 'TLS',
        tls: { mode: 'Passthrough' },
        allowedRoutes: namespaceAdmission(gw.namespace, layout.admitted.get(placementKey(p)) ?? new Set()),
      };
    }
    const tls = layout.tlsByHost.get(host)!;
    const certRef: Record<string, unknown> = { group: '', kind: 'Secret', name: tls.secret.name };
    if (tls.secret.namespace !== gw.namespace) certRef.namespace = tls.secret.namespace;
    return {
      name: p.sectionName,
      hostname: host,
      port: 443,
      protocol: 'HTTPS',
      tls: { mode: 'Terminate', certificateRefs: [certRef] },
      allowedRoutes: namespaceAdmission(gw.namespace, layout.admitted.get(placementKey(p)) ?? new Set()),
    };
  };
  const listeners: Record<string, unknown>[] = layout.explicit
    ? (gw.listeners ?? []).map((l) => explicitListener(l, layout))
    : [
        {
          name: 'http',
          port: 80,
          protocol: 'HTTP',
          allowedRoutes: namespaceAdmission(gw.namespace, layout.admitted.get(placementKey(layout.http)) ?? new Set()),
        },
        ...[...layout.grpcHttp.entries()]
          .sort((a, b) => (a[0] < b[0] ? -1 : 1))
          .map(([host, p]) => ({
            name: p.sectionName,
            hostname: host,
            port: 80,
            protocol: 'HTTP',
            allowedRoutes: namespaceAdmission(gw.namespace, layout.admitted.get(placementKey(p)) ?? new Set()),
          })),
      ];
  const sets = new Map<string, Record<string, unknown>[]>();
  for (const [host, p] of [...layout.https.entries(), ...layout.passthrough.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (p.kind === 'Gateway') listeners.push(listenerFor(host, p));
    else {
      let l = sets.get(p.name);
      if (!l) sets.set(p.name, (l = []));
      l.push(listenerFor(host, p));
    }
  }
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(gw.annotations)) annotations[k] = v.value;
  const sources = sourcesAnnotation(gw.provenance);
  const spec: Record<string, unknown> = { gatewayClassName: gw.gatewayClassName };
  if (gw.parametersRef) spec.infrastructure = { parametersRef: { ...gw.parametersRef } };
  spec.listeners = listeners;
  if (sets.size > 0) {
    spec.allowedListeners = { namespaces: { from: 'Same' } };
    findings.push({
      ruleId: 'core/listener-sets',
      severity: 'info',
      message: `Gateway ${gw.namespace}/${gw.name} needs ${layout.https.size + layout.passthrough.size + 1} listeners; Gateway API allows ${MAX_LISTENERS} per Gateway, so ${layout.https.size + layout.passthrough.size + 1 - MAX_LISTENERS} port-443 listeners (HTTPS or TLS) were put in ${sets.size} ListenerSet(s) attached to it`,
      remediation: 'Check that your Gateway API implementation supports ListenerSet (conformance feature "ListenerSet"); otherwise split the hosts over several Gateways with --gateway-mode per-namespace.',
      ...provFields(gw.provenance[0]),
    });
  }
  out.push({
    apiVersion: `${GATEWAY_API_GROUP}/v1`,
    kind: 'Gateway',
    metadata: metadata(gw.name, gw.namespace, sources, opts, annotations),
    spec,
  });
  for (const [name, ls] of [...sets.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    out.push({
      apiVersion: `${GATEWAY_API_GROUP}/v1`,
      kind: 'ListenerSet',
      metadata: metadata(name, gw.namespace, sources, opts),
      spec: { parentRef: { group: GATEWAY_API_GROUP, kind: 'Gateway', name: gw.name }, listeners: ls },
    });
  }
  return out;
}

/**
 * A listener of an explicit layout, admitting the namespaces the source allowed, else those of
 * the routes attached to it.
 */
function explicitListener(l: ListenerIntent, layout: GatewayLayout): Record<string, unknown> {
  const out: Record<string, unknown> = { name: l.name };
  if (l.hostname !== undefined) out.hostname = l.hostname;
  out.port = l.port;
  out.protocol = l.protocol;
  const certificateRefs = (l.certificateSecrets ?? []).map((name) => ({ group: '', kind: 'Secret', name }));
  if (l.protocol === 'TLS' && l.tlsMode === 'Passthrough') out.tls = { mode: 'Passthrough' };
  else if ((l.protocol === 'HTTPS' || l.protocol === 'TLS') && certificateRefs.length) out.tls = { mode: 'Terminate', certificateRefs };
  const allowed = l.allowedNamespaces;
  if (allowed && 'names' in allowed) out.allowedRoutes = namespaceAdmission(layout.intent.namespace, new Set(allowed.names));
  else if (allowed) out.allowedRoutes = { namespaces: { from: allowed.from } };
  else {
    const p = layout.explicit?.get(l.name);
    out.allowedRoutes = namespaceAdmission(layout.intent.namespace, (p && layout.admitted.get(placementKey(p))) ?? new Set());
  }
  return out;
}

/**
 * The parentRefs of a route that names its parents: listeners of Gateways with an explicit
 * layout (by sectionName), or Services (GAMMA: group "" and kind Service, with the port when the
 * route applies to one port only). With --parent-ref, the Gateway parents become that Gateway.
 */
function explicitParentRefs(route: RouteIntent, layouts: ReadonlyMap<string, GatewayLayout>, opts: EmitOptions, findings: Finding[]): Record<string, unknown>[] {
  const refs: Record<string, unknown>[] = [];
  let overridden = false;
  for (const parent of route.parents ?? []) {
    if (parent.kind === 'Service') {
      const ref: Record<string, unknown> = { group: '', kind: 'Service', name: parent.name };
      if (parent.namespace !== route.namespace) ref.namespace = parent.namespace;
      if (parent.port !== undefined) ref.port = parent.port;
      refs.push(ref);
      continue;
    }
    if (parent.kind === 'GatewayRef' && !opts.parentRef) {
      const ref: Record<string, unknown> = { group: GATEWAY_API_GROUP, kind: 'Gateway', name: parent.name };
      if (parent.namespace !== route.namespace) ref.namespace = parent.namespace;
      refs.push(ref);
      continue;
    }
    if (opts.parentRef) {
      if (overridden) continue;
      overridden = true;
      const ref: Record<string, unknown> = { group: GATEWAY_API_GROUP, kind: 'Gateway', name: opts.parentRef.name };
      if (opts.parentRef.namespace !== route.namespace) ref.namespace = opts.parentRef.namespace;
      // The section named on the command line serves HTTP routes.
      if (opts.parentRef.sectionName && (route.kind === 'HTTPRoute' || route.kind === 'GRPCRoute')) ref.sectionName = opts.parentRef.sectionName;
      refs.push(ref);
      continue;
    }
    if (parent.kind !== 'Gateway') continue;
    const layout = layouts.get(parent.gatewayKey);
    for (const name of parent.listeners) {
      const p = layout?.explicit?.get(name);
      if (!layout || !p) continue;
      refs.push(admitRef(layout, p, route));
    }
  }
  if (refs.length === 0) {
    findings.push({
      ruleId: 'core/route-unattached',
      severity: 'error',
      message: `${route.kind} ${route.namespace}/${route.name} has no listener to attach to`,
      ...provFields(route.provenance[0]),
    });
  }
  return refs;
}

/** The provenance of each emitted route object, by `kind/namespace/name`. */
function routeProvenance(routeNames: ReadonlyMap<RouteIntent, string[]>): Map<string, Provenance[]> {
  const out = new Map<string, Provenance[]>();
  for (const [route, names] of routeNames) for (const n of names) out.set(`${route.kind}/${route.namespace}/${n}`, route.provenance);
  return out;
}

/**
 * One ReferenceGrant per (secret namespace, gateway namespace, listener owner kind), listing
 * exactly the Secrets used. Listeners in ListenerSets need a grant from the ListenerSet kind:
 * grants to the Gateway are not inherited (ListenerSet, "ReferenceGrant Semantics").
 */
function referenceGrants(layouts: Map<string, GatewayLayout>, opts: EmitOptions): KubeObject[] {
  const bySecretNs = new Map<string, { fromNs: string; kind: 'Gateway' | 'ListenerSet'; secrets: Set<string>; prov: Provenance[] }>();
  for (const layout of layouts.values()) {
    const gwNs = layout.intent.namespace;
    for (const [host, t] of layout.tlsByHost) {
      if (t.secret.namespace === gwNs) continue;
      const kind = layout.https.get(host)?.kind ?? 'Gateway';
      const key = `${t.secret.namespace}\u0000${gwNs}\u0000${kind}`;
      let g = bySecretNs.get(key);
      if (!g) bySecretNs.set(key, (g = { fromNs: gwNs, kind, secrets: new Set(), prov: [] }));
      g.secrets.add(t.secret.name);
      g.prov.push(...t.provenance);
    }
  }
  const out: KubeObject[] = [];
  for (const key of [...bySecretNs.keys()].sort()) {
    const g = bySecretNs.get(key)!;
    const secretNs = key.split('\u0000')[0]!;
    const secrets = [...g.secrets].sort();
    for (let i = 0; i < secrets.length; i += MAX_GRANT_ENTRIES) {
      const part = secrets.slice(i, i + MAX_GRANT_ENTRIES);
      const suffix = i === 0 ? '' : `-${i / MAX_GRANT_ENTRIES + 1}`;
      out.push({
        apiVersion: `${GATEWAY_API_GROUP}/v1`,
        kind: 'ReferenceGrant',
        metadata: metadata(toDnsSubdomain(`gateway-shift-secrets-from-${g.fromNs}${g.kind === 'ListenerSet' ? '-listenersets' : ''}${suffix}`), secretNs, g.prov, opts),
        spec: {
          from: [{ group: GATEWAY_API_GROUP, kind: g.kind, namespace: g.fromNs }],
          to: part.map((name) => ({ group: '', kind: 'Secret', name })),
        },
      });
    }
  }
  return out;
}
