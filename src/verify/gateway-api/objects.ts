/**
 * The Gateway API objects of a configuration, read as Gateway API v1.6.1 defines them, and which
 * route attaches to which listener: parentRefs (Gateway, ListenerSet, sectionName, port),
 * allowedRoutes (namespaces, kinds), hostname intersection, ListenerSet admission
 * (allowedListeners), certificate references and ReferenceGrants, listener conflicts, and the
 * HTTPRoute/GRPCRoute hostname conflict. Reads plain objects only: it knows nothing of how they
 * were generated.
 */
import type { ObjectRef } from '../../findings/finding.js';
import type { KubeObject } from '../../inputs/document.js';
import { hostnamesIntersect, narrower } from '../http.js';
import { isRecord } from '../types.js';

export const GROUP = 'gateway.networking.k8s.io';
const DEFAULT_NS = 'default';

export type Protocol = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP' | string;

export interface Listener {
  /** `Gateway ns/name` or `ListenerSet ns/name` holding it. */
  owner: ObjectRef;
  /** `ns/name` of the Gateway it belongs to (a ListenerSet's parent). */
  gateway: string;
  name: string;
  port: number;
  protocol: Protocol;
  hostname?: string;
  tlsMode?: 'Terminate' | 'Passthrough';
  allowedRoutes: Record<string, unknown>;
  /** Why the listener does not serve, if it does not. */
  invalid?: string;
  /** Certificate Secrets (`ns/name`) it serves with. */
  certificates: string[];
}

export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute';

export interface Route {
  kind: RouteKind;
  ref: ObjectRef;
  namespace: string;
  name: string;
  creationTimestamp: string;
  hostnames: string[];
  rules: Record<string, unknown>[];
  parentRefs: Record<string, unknown>[];
  /** Source objects named in the gateway-shift.io/sources annotation (empty for hand-written objects). */
  sources: ObjectRef[];
}

/** A route attached to a listener, with the hostnames it serves there. */
export interface Attachment {
  route: Route;
  listener: Listener;
  /** Effective hostnames on this listener ([] = every host the listener takes). */
  hostnames: string[];
}

export interface Grant {
  namespace: string;
  from: { group: string; kind: string; namespace: string }[];
  to: { group: string; kind: string; name?: string }[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const recs = (v: unknown): Record<string, unknown>[] => arr(v).filter(isRecord);

function nsOf(o: KubeObject): string {
  return o.metadata.namespace ?? DEFAULT_NS;
}

function isGatewayApi(o: KubeObject, kinds: string[], versions: string[]): boolean {
  const [group, version] = o.apiVersion.split('/');
  return group === GROUP && versions.includes(version ?? '') && kinds.includes(o.kind);
}

/** Parses `gateway-shift.io/sources` ("Ingress/ns/name, Ingress/ns/name and 3 more"). */
function sourcesOf(o: KubeObject): ObjectRef[] {
  const v = o.metadata.annotations?.['gateway-shift.io/sources'];
  if (!v) return [];
  const out: ObjectRef[] = [];
  for (const part of v.replace(/ and \d+ more$/, '').split(',')) {
    const m = /^\s*([A-Za-z]+)\/([^/]*)\/(.+?)\s*$/.exec(part);
    if (m) out.push({ kind: m[1]!, ...(m[2] ? { namespace: m[2] } : {}), name: m[3]! });
  }
  return out;
}

/** A label selector against a label map (matchLabels and matchExpressions). */
export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector)) return true;
  const ml = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  for (const e of recs(selector.matchExpressions)) {
    const key = str(e.key) ?? '';
    const values = arr(e.values).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export class GatewayObjects {
  readonly gateways = new Map<string, KubeObject>();
  readonly listeners: Listener[] = [];
  readonly routes: Route[] = [];
  readonly grants: Grant[] = [];
  readonly attachments: Attachment[] = [];
  /** Routes whose parentRef is a Service (GAMMA), by `ns/name` of the Service. */
  readonly meshRoutes = new Map<string, { route: Route; port?: number }[]>();
  /** Why a route (or one of its parentRefs, on `listener`) was not accepted. */
  readonly rejected: { route: Route; reason: string; listener?: Listener }[] = [];
  private readonly namespaceLabels = new Map<string, Record<string, string>>();

  constructor(objects: readonly KubeObject[], private readonly opts: { awsLbcCertificates: boolean } = { awsLbcCertificates: false }) {
    const listenerSets: KubeObject[] = [];
    for (const o of objects) {
      if (o.kind === 'Namespace' && o.apiVersion === 'v1' && o.metadata.name) {
        this.namespaceLabels.set(o.metadata.name, { ...(o.metadata.labels ?? {}) });
      } else if (isGatewayApi(o, ['Gateway'], ['v1', 'v1beta1'])) {
        this.gateways.set(`${nsOf(o)}/${o.metadata.name ?? ''}`, o);
      } else if (isGatewayApi(o, ['ListenerSet'], ['v1'])) {
        listenerSets.push(o);
      } else if (isGatewayApi(o, ['ReferenceGrant'], ['v1', 'v1beta1'])) {
        const spec = isRecord(o.spec) ? o.spec : {};
        this.grants.push({
          namespace: nsOf(o),
          from: recs(spec.from).map((f) => ({ group: str(f.group) ?? '', kind: str(f.kind) ?? '', namespace: str(f.namespace) ?? '' })),
          to: recs(spec.to).map((t) => ({ group: str(t.group) ?? '', kind: str(t.kind) ?? '', ...(str(t.name) ? { name: str(t.name)! } : {}) })),
        });
      } else if (
        isGatewayApi(o, ['HTTPRoute'], ['v1', 'v1beta1']) ||
        isGatewayApi(o, ['GRPCRoute'], ['v1']) ||
        isGatewayApi(o, ['TLSRoute'], ['v1', 'v1alpha2', 'v1alpha3']) ||
        isGatewayApi(o, ['TCPRoute'], ['v1', 'v1alpha2'])
      ) {
        const spec = isRecord(o.spec) ? o.spec : {};
        this.routes.push({
          kind: o.kind as RouteKind,
          ref: { apiVersion: o.apiVersion, kind: o.kind, namespace: nsOf(o), name: o.metadata.name ?? '' },
          namespace: nsOf(o),
          name: o.metadata.name ?? '',
          creationTimestamp: str(o.metadata.creationTimestamp) ?? '',
          hostnames: arr(spec.hostnames).filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase()),
          rules: recs(spec.rules),
          parentRefs: recs(spec.parentRefs),
          sources: sourcesOf(o),
        });
      }
    }
    for (const [key, gw] of [...this.gateways.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const spec = isRecord(gw.spec) ? gw.spec : {};
      // AWS Load Balancer Controller's Gateway support takes an HTTPS listener's certificates from
      // the LoadBalancerConfiguration of spec.infrastructure.parametersRef, or discovers them in
      // ACM by hostname (pkg/gateway/model/model_build_listener.go): no certificateRefs needed.
      const infra = isRecord(spec.infrastructure) && isRecord(spec.infrastructure.parametersRef) ? spec.infrastructure.parametersRef : undefined;
      const externalCerts = this.opts.awsLbcCertificates || (infra !== undefined && infra.group === 'gateway.k8s.aws' && infra.kind === 'LoadBalancerConfiguration');
      for (const l of recs(spec.listeners)) this.addListener(l, { apiVersion: gw.apiVersion, kind: 'Gateway', namespace: nsOf(gw), name: gw.metadata.name ?? '' }, key, externalCerts);
    }
    // ListenerSets: oldest first, then by namespace/name; a conflict with an earlier listener loses.
    const sorted = [...listenerSets].sort((a, b) => {
      const ta = str(a.metadata.creationTimestamp) ?? '';
      const tb = str(b.metadata.creationTimestamp) ?? '';
      if (ta !== tb) return ta < tb ? -1 : 1;
      const ka = `${nsOf(a)}/${a.metadata.name}`;
      const kb = `${nsOf(b)}/${b.metadata.name}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    for (const ls of sorted) {
      const spec = isRecord(ls.spec) ? ls.spec : {};
      const p = isRecord(spec.parentRef) ? spec.parentRef : {};
      const gwKey = `${str(p.namespace) ?? nsOf(ls)}/${str(p.name) ?? ''}`;
      const gw = this.gateways.get(gwKey);
      if (!gw || (str(p.kind) ?? 'Gateway') !== 'Gateway' || (str(p.group) ?? GROUP) !== GROUP) continue;
      if (!this.gatewayAdmitsListenerSet(gw, nsOf(ls))) continue;
      for (const l of recs(spec.listeners)) this.addListener(l, { apiVersion: ls.apiVersion, kind: 'ListenerSet', namespace: nsOf(ls), name: ls.metadata.name ?? '' }, gwKey);
    }
    this.markConflicts();
    this.attach();
  }

  labelsOf(namespace: string): Record<string, string> {
    return { ...(this.namespaceLabels.get(namespace) ?? {}), 'kubernetes.io/metadata.name': namespace };
  }

  private gatewayAdmitsListenerSet(gw: KubeObject, namespace: string): boolean {
    const spec = isRecord(gw.spec) ? gw.spec : {};
    const al = isRecord(spec.allowedListeners) && isRecord(spec.allowedListeners.namespaces) ? spec.allowedListeners.namespaces : {};
    const from = str(al.from) ?? 'None';
    if (from === 'All') return true;
    if (from === 'Same') return namespace === nsOf(gw);
    if (from === 'Selector') return selects(al.selector, this.labelsOf(namespace));
    return false;
  }

  /** Whether a ReferenceGrant lets `from` refer to `to` in another namespace. */
  granted(from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; namespace: string; name: string }): boolean {
    return this.grants.some(
      (g) =>
        g.namespace === to.namespace &&
        g.from.some((f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace) &&
        g.to.some((t) => (t.group === to.group || (t.group === 'core' && to.group === '')) && t.kind === to.kind && (t.name === undefined || t.name === to.name)),
    );
  }

  private addListener(l: Record<string, unknown>, owner: ObjectRef, gateway: string, externalCerts = false): void {
    const tls = isRecord(l.tls) ? l.tls : undefined;
    const protocol = str(l.protocol) ?? '';
    const listener: Listener = {
      owner,
      gateway,
      name: str(l.name) ?? '',
      port: typeof l.port === 'number' ? l.port : 0,
      protocol,
      allowedRoutes: isRecord(l.allowedRoutes) ? l.allowedRoutes : {},
      certificates: [],
    };
    const hostname = str(l.hostname);
    if (hostname) listener.hostname = hostname.toLowerCase();
    if (protocol === 'HTTPS' || protocol === 'TLS') {
      const mode = str(tls?.mode) ?? 'Terminate';
      listener.tlsMode = mode === 'Passthrough' ? 'Passthrough' : 'Terminate';
      if (protocol === 'HTTPS' && listener.tlsMode === 'Passthrough') listener.invalid = 'an HTTPS listener cannot pass TLS through';
      if (listener.tlsMode === 'Terminate') {
        const refs = recs(tls?.certificateRefs);
        if (refs.length === 0 && !externalCerts) listener.invalid = 'it has no certificate';
        for (const r of refs) {
          const group = str(r.group) ?? '';
          const kind = str(r.kind) ?? 'Secret';
          const ns = str(r.namespace) ?? owner.namespace ?? DEFAULT_NS;
          const name = str(r.name) ?? '';
          if (!(group === '' || group === 'core') || kind !== 'Secret') {
            listener.invalid = `its certificate reference ${kind} ${name} is not a Secret`;
            continue;
          }
          if (ns !== owner.namespace && !this.granted({ group: GROUP, kind: owner.kind, namespace: owner.namespace ?? DEFAULT_NS }, { group: '', kind: 'Secret', namespace: ns, name })) {
            listener.invalid = `no ReferenceGrant in namespace ${ns} lets ${owner.kind} ${owner.namespace}/${owner.name} use Secret ${name} (RefNotPermitted)`;
            continue;
          }
          listener.certificates.push(`${ns}/${name}`);
        }
      }
    }
    this.listeners.push(listener);
  }

  /** Listeners of one Gateway sharing port, protocol family and hostname are Conflicted; a later ListenerSet's loses. */
  private markConflicts(): void {
    const seen = new Map<string, Listener>();
    for (const l of this.listeners) {
      const family = l.protocol === 'HTTPS' || l.protocol === 'TLS' ? 'tls' : l.protocol;
      const k = `${l.gateway} ${l.port} ${family} ${l.hostname ?? ''}`;
      const first = seen.get(k);
      if (!first) {
        seen.set(k, l);
        continue;
      }
      l.invalid ??= `it conflicts with listener ${first.name} of ${first.owner.kind} ${first.owner.namespace}/${first.owner.name} (same port, protocol and hostname)`;
      if (first.owner.kind === l.owner.kind && first.owner.name === l.owner.name && first.owner.namespace === l.owner.namespace) {
        first.invalid ??= `it conflicts with listener ${l.name} (same port, protocol and hostname)`;
      }
    }
    // Listener names must be unique per owner.
    const names = new Set<string>();
    for (const l of this.listeners) {
      const k = `${l.owner.kind}/${l.owner.namespace}/${l.owner.name}/${l.name}`;
      if (names.has(k)) l.invalid ??= `its name ${l.name} is used twice`;
      names.add(k);
    }
  }

  private kindAllowed(l: Listener, kind: RouteKind): boolean {
    const kinds = recs(l.allowedRoutes.kinds);
    if (kinds.length > 0) return kinds.some((k) => str(k.kind) === kind && (str(k.group) ?? GROUP) === GROUP);
    if (l.protocol === 'HTTP' || l.protocol === 'HTTPS') return kind === 'HTTPRoute' || kind === 'GRPCRoute';
    if (l.protocol === 'TLS') return kind === 'TLSRoute';
    if (l.protocol === 'TCP') return kind === 'TCPRoute';
    return false;
  }

  private namespaceAllowed(l: Listener, namespace: string): boolean {
    const ns = isRecord(l.allowedRoutes.namespaces) ? l.allowedRoutes.namespaces : {};
    const from = str(ns.from) ?? 'Same';
    if (from === 'All') return true;
    if (from === 'Same') return namespace === l.owner.namespace;
    if (from === 'Selector') return selects(ns.selector, this.labelsOf(namespace));
    return false;
  }

  private attach(): void {
    const byRoute = new Map<Route, Attachment[]>();
    for (const route of this.routes) {
      const list: Attachment[] = [];
      for (const p of route.parentRefs) {
        const group = str(p.group) ?? GROUP;
        const kind = str(p.kind) ?? 'Gateway';
        const ns = str(p.namespace) ?? route.namespace;
        const name = str(p.name) ?? '';
        if ((group === '' || group === 'core') && kind === 'Service') {
          const key = `${ns}/${name}`;
          let l = this.meshRoutes.get(key);
          if (!l) this.meshRoutes.set(key, (l = []));
          l.push(typeof p.port === 'number' ? { route, port: p.port } : { route });
          continue;
        }
        if (group !== GROUP || (kind !== 'Gateway' && kind !== 'ListenerSet')) {
          this.rejected.push({ route, reason: `parentRef ${kind} ${ns}/${name} is not a Gateway or ListenerSet` });
          continue;
        }
        const candidates = this.listeners.filter(
          (l) =>
            l.owner.kind === kind &&
            l.owner.namespace === ns &&
            l.owner.name === name &&
            (p.sectionName === undefined || l.name === p.sectionName) &&
            (p.port === undefined || l.port === p.port),
        );
        if (candidates.length === 0) {
          this.rejected.push({ route, reason: `parentRef ${kind} ${ns}/${name}${p.sectionName !== undefined ? ` section ${String(p.sectionName)}` : ''} matches no listener` });
          continue;
        }
        let any = false;
        for (const l of candidates) {
          if (!this.kindAllowed(l, route.kind) || !this.namespaceAllowed(l, route.namespace)) continue;
          let hostnames: string[];
          if (route.hostnames.length === 0) hostnames = [];
          else if (!l.hostname) hostnames = [...route.hostnames];
          else hostnames = route.hostnames.filter((h) => hostnamesIntersect(h, l.hostname!)).map((h) => narrower(h, l.hostname!));
          if (route.hostnames.length > 0 && hostnames.length === 0) continue;
          if (list.some((a) => a.listener === l)) continue;
          list.push({ route, listener: l, hostnames });
          any = true;
        }
        if (!any) this.rejected.push({ route, reason: `no listener of ${kind} ${ns}/${name} accepts it (allowedRoutes, kinds or hostnames)` });
      }
      byRoute.set(route, list);
    }
    // HTTPRoute and GRPCRoute with intersecting hostnames on one listener: only the older (then
    // the first by namespace/name) is accepted there.
    const order = [...this.routes].sort((a, b) =>
      a.creationTimestamp !== b.creationTimestamp ? (a.creationTimestamp < b.creationTimestamp ? -1 : 1) : `${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1,
    );
    const accepted: Attachment[] = [];
    for (const route of order) {
      for (const a of byRoute.get(route) ?? []) {
        if (route.kind === 'HTTPRoute' || route.kind === 'GRPCRoute') {
          const clash = accepted.find(
            (b) =>
              b.listener === a.listener &&
              (b.route.kind === 'HTTPRoute' || b.route.kind === 'GRPCRoute') &&
              b.route.kind !== route.kind &&
              (a.hostnames.length === 0 || b.hostnames.length === 0 || a.hostnames.some((h) => b.hostnames.some((g) => hostnamesIntersect(h, g)))),
          );
          if (clash) {
            this.rejected.push({ route, listener: a.listener, reason: `it shares hostnames with ${clash.route.kind} ${clash.route.namespace}/${clash.route.name} on listener ${a.listener.name}, which is older or first by name` });
            continue;
          }
        }
        accepted.push(a);
      }
    }
    this.attachments.push(...accepted);
  }
}
