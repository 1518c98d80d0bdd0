/**
 * Istio's networking objects as istiod reads them (networking.istio.io v1, v1beta1, v1alpha3 share
 * one schema): Gateways and their servers, VirtualServices with their gateway bindings and
 * resolved hosts, DestinationRule subsets, ServiceEntry hosts, and the Services of the input.
 * Reads plain objects only; knows nothing of the translation.
 *
 * Sources (istio/istio at 86c9f01fd): pkg/config/model.go ResolveShortnameToFQDN (short names
 * resolve in the namespace of the rule; a name with a dot is fully qualified), pkg/config/host
 * (wildcard `*.foo.com` matches any name ending in `.foo.com`, `*` every name),
 * pilot/pkg/networking/core/gateway.go (servers, `namespace/host` hosts, the VirtualServices of a
 * server: its hosts intersected with theirs), pilot/pkg/model/push_context.go
 * (VirtualServicesForGateway, configs ordered by creation time, then name, then namespace).
 */
import type { ObjectRef } from '../../../findings/finding.js';
import type { FieldPath, KubeObject, SourceDocument } from '../../../inputs/document.js';
import { isRecord } from '../../types.js';

export const ISTIO_GROUP = 'networking.istio.io';
export const DOMAIN = 'svc.cluster.local';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const recs = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function isIstio(o: KubeObject, kind: string): boolean {
  return o.kind === kind && /^networking\.istio\.io\/(v1|v1beta1|v1alpha3)$/.test(o.apiVersion);
}

export interface ServerHost {
  /** `*` any namespace, `.` the Gateway's, else a namespace name. */
  namespace: string;
  host: string;
}

export interface Server {
  gateway: IstioGateway;
  index: number;
  port: number;
  /** Upper-case protocol as written (HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, TLS, TCP, MONGO, ...). */
  protocol: string;
  hosts: ServerHost[];
  /** HTTP (plain), HTTPS (terminated), PASSTHROUGH (TLS by SNI), TCP, or OTHER (not modelled). */
  kind: 'HTTP' | 'HTTPS' | 'PASSTHROUGH' | 'TCP' | 'OTHER';
  httpsRedirect: boolean;
  /** tls.mode as written (SIMPLE, MUTUAL, PASSTHROUGH, ...), default PASSTHROUGH with a tls block. */
  tlsMode?: string;
  path: FieldPath;
}

export interface IstioGateway {
  ref: ObjectRef;
  namespace: string;
  name: string;
  /** `k=v,k=v` of spec.selector: Gateways with the same selector share one proxy (MergedGateway). */
  selector: string;
  servers: Server[];
}

export interface VirtualService {
  ref: ObjectRef;
  doc: SourceDocument;
  namespace: string;
  name: string;
  created: string;
  /** Lower-case hosts, short names resolved to FQDNs. */
  hosts: string[];
  /** Hosts as written (lower case). */
  rawHosts: string[];
  /** `ns/name` of each Gateway, or `mesh`. */
  gateways: string[];
  exportTo: string[];
  http: Record<string, unknown>[];
  tls: Record<string, unknown>[];
  tcp: Record<string, unknown>[];
}

export interface IstioObjects {
  gateways: Map<string, IstioGateway>;
  virtualServices: VirtualService[];
  /** Subset names per destination FQDN; a host with a DestinationRule but not the subset has no such cluster. */
  subsets: Map<string, Set<string>>;
  /** Hosts ServiceEntries declare (lower case, may be wildcards). */
  serviceEntryHosts: string[];
  /** Services by `ns/name`. */
  services: ReadonlyMap<string, KubeObject>;
}

/** ResolveShortnameToFQDN: no dot -> `<host>.<ns>.svc.cluster.local`; `*` and dotted names stay. */
export function resolveHost(host: string, namespace: string): string {
  const h = host.toLowerCase();
  if (h === '*' || h.includes('.') || h.includes(':')) return h;
  return `${h}.${namespace}.${DOMAIN}`;
}

/** The Kubernetes Service (`ns/name`) an FQDN names, if it is of the form name.ns.svc.cluster.local. */
export function serviceOfFqdn(fqdn: string): string | undefined {
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(fqdn);
  return m ? `${m[2]}/${m[1]}` : undefined;
}

/** pkg/config/host Name.Matches: `*` everything, `*.foo.com` any name ending in `.foo.com`. */
export function istioHostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

/** host.Names.Intersection: for each pair that overlaps, the more specific of the two. */
export function intersectHosts(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  for (const x of a) {
    for (const y of b) {
      let r: string | undefined;
      if (x === y || istioHostMatches(y, x)) r = x;
      else if (istioHostMatches(x, y)) r = y;
      else if (x.startsWith('*') && y.startsWith('*')) r = x.length > y.length ? (x.endsWith(y.slice(1)) ? x : undefined) : y.endsWith(x.slice(1)) ? y : undefined;
      if (r !== undefined && !out.includes(r)) out.push(r);
    }
  }
  return out;
}

function refOf(o: KubeObject): ObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace ?? 'default', name: o.metadata.name ?? '' };
}

function serverKind(protocol: string, tls: Record<string, unknown> | undefined): { kind: Server['kind']; tlsMode?: string } {
  // pilot gateway IsTLSServer / IsHTTPServer: an HTTP protocol is plain HTTP whatever its TLS
  // settings; HTTPS and TLS servers terminate unless in PASSTHROUGH mode (the proto's zero value).
  const mode = tls ? (str(tls.mode) ?? 'PASSTHROUGH').toUpperCase() : undefined;
  if (['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB'].includes(protocol)) return { kind: 'HTTP', ...(mode ? { tlsMode: mode } : {}) };
  if (protocol === 'HTTPS') {
    if (!mode) return { kind: 'OTHER' };
    if (mode === 'PASSTHROUGH') return { kind: 'PASSTHROUGH', tlsMode: mode };
    if (mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL') return { kind: 'HTTPS', tlsMode: mode };
    return { kind: 'OTHER', tlsMode: mode };
  }
  if (protocol === 'TLS') return mode === 'PASSTHROUGH' ? { kind: 'PASSTHROUGH', tlsMode: mode } : { kind: 'OTHER', ...(mode ? { tlsMode: mode } : {}) };
  if (protocol === 'TCP' || protocol === 'MONGO') return { kind: 'TCP' };
  return { kind: 'OTHER' };
}

export function readIstio(documents: readonly SourceDocument[], services: ReadonlyMap<string, KubeObject>): IstioObjects {
  const gateways = new Map<string, IstioGateway>();
  const virtualServices: VirtualService[] = [];
  const subsets = new Map<string, Set<string>>();
  const serviceEntryHosts: string[] = [];
  const seen = new Set<string>();
  for (const d of documents) {
    const o = d.object;
    const ns = o.metadata.namespace ?? 'default';
    const name = o.metadata.name;
    if (!name || !o.apiVersion.startsWith(`${ISTIO_GROUP}/`)) continue;
    const key = `${o.kind}/${ns}/${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const spec = isRecord(o.spec) ? o.spec : {};
    if (isIstio(o, 'Gateway')) {
      const sel = isRecord(spec.selector) ? spec.selector : {};
      const gw: IstioGateway = {
        ref: refOf(o),
        namespace: ns,
        name,
        selector: Object.entries(sel)
          .map(([k, v]) => `${k}=${String(v)}`)
          .sort()
          .join(','),
        servers: [],
      };
      (Array.isArray(spec.servers) ? spec.servers : []).forEach((s, i) => {
        if (!isRecord(s)) return;
        const port = isRecord(s.port) ? s.port : {};
        const protocol = (str(port.protocol) ?? '').toUpperCase();
        const tls = isRecord(s.tls) ? s.tls : undefined;
        const { kind, tlsMode } = serverKind(protocol, tls);
        gw.servers.push({
          gateway: gw,
          index: i,
          port: typeof port.number === 'number' ? port.number : 0,
          protocol,
          hosts: strs(s.hosts).map((h) => {
            const slash = h.indexOf('/');
            return slash < 0 ? { namespace: '*', host: h.toLowerCase() } : { namespace: h.slice(0, slash), host: h.slice(slash + 1).toLowerCase() };
          }),
          kind,
          httpsRedirect: tls?.httpsRedirect === true,
          ...(tlsMode ? { tlsMode } : {}),
          path: ['spec', 'servers', i],
        });
      });
      gateways.set(`${ns}/${name}`, gw);
    } else if (isIstio(o, 'VirtualService')) {
      const rawHosts = strs(spec.hosts).map((h) => h.toLowerCase());
      const gws = strs(spec.gateways);
      virtualServices.push({
        ref: refOf(o),
        doc: d,
        namespace: ns,
        name,
        created: str(o.metadata.creationTimestamp) ?? '',
        hosts: rawHosts.map((h) => resolveHost(h, ns)),
        rawHosts,
        gateways: (gws.length ? gws : ['mesh']).map((g) => (g === 'mesh' ? 'mesh' : g.includes('/') ? g : `${ns}/${g}`)),
        exportTo: strs(spec.exportTo),
        http: recs(spec.http),
        tls: recs(spec.tls),
        tcp: recs(spec.tcp),
      });
    } else if (isIstio(o, 'DestinationRule')) {
      const h = str(spec.host);
      if (!h) continue;
      const fqdn = resolveHost(h, ns);
      let set = subsets.get(fqdn);
      if (!set) subsets.set(fqdn, (set = new Set()));
      for (const s of recs(spec.subsets)) if (str(s.name)) set.add(str(s.name)!);
    } else if (isIstio(o, 'ServiceEntry')) {
      serviceEntryHosts.push(...strs(spec.hosts).map((h) => h.toLowerCase()));
    }
  }
  // push_context sortConfigByCreationTime: creation time, then name, then namespace.
  virtualServices.sort((a, b) => (a.created !== b.created ? ((a.created || '~') < (b.created || '~') ? -1 : 1) : a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0));
  return { gateways, virtualServices, subsets, serviceEntryHosts, services };
}

/** Whether a VirtualService is visible in a namespace (exportTo; default every namespace). */
export function exportedTo(vs: VirtualService, namespace: string): boolean {
  if (vs.exportTo.length === 0) return true;
  return vs.exportTo.some((e) => e === '*' || (e === '.' && namespace === vs.namespace) || e === namespace);
}

/** The host part of the server hosts that admit VirtualServices of `namespace` (host.NamesForNamespace). */
export function serverHostsFor(server: Server, namespace: string): string[] {
  return server.hosts.filter((h) => h.namespace === '*' || (h.namespace === '.' && namespace === server.gateway.namespace) || h.namespace === namespace).map((h) => h.host);
}

/** Ports of a Service in the input: number, name, and whether it looks HTTP. */
export function servicePorts(svc: KubeObject | undefined): { port: number; name: string }[] {
  const spec = svc && isRecord(svc.spec) ? svc.spec : {};
  return recs(spec.ports)
    .filter((p) => typeof p.port === 'number')
    .map((p) => ({ port: p.port as number, name: str(p.name) ?? '' }));
}
