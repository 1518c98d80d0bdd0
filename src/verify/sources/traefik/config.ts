/**
 * The dynamic configuration Traefik v3.7.9's Kubernetes Ingress provider builds from the input,
 * written from Traefik's sources (docs/research/traefik.md has the line references), without the
 * translation's code:
 *
 * - pkg/provider/kubernetes/ingress/kubernetes.go loadConfigurationFromIngresses: one router per
 *   Ingress rule and path (L360-413), the Ingress skipped when its router annotations cannot be
 *   decoded (L262-266), a path skipped when its Service or port does not exist or the Service
 *   annotations cannot be decoded (loadService L559-600), the global default router of the first
 *   Ingress without rules (L286-356), every spec.tls Secret loaded into the default store
 *   (getCertificates);
 * - loadRouter (L731-792): rule `Host("h") && <Matcher>("p")` (Go %q quoting), Exact -> Path,
 *   Prefix -> PathPrefix, ImplementationSpecific -> router.pathmatcher (Path, PathPrefix,
 *   PathRegexp; another value skips the path);
 * - annotations.go + traefik/paerser: `traefik.ingress.kubernetes.io/router.*` from the Ingress,
 *   `service.*` from the Service; field names case-insensitive, an unknown field fails the decode;
 *   allowEmpty structs (router.tls) enabled by "", "true" or a sub-key, disabled by another value;
 * - pkg/muxer/http/mux.go GetRulePriority: the priority is the rule's length unless set;
 * - pkg/provider/kubernetes/crd: Middleware objects of traefik.io (v3 reads no other group),
 *   named Normalize(<namespace>-<name>) in the provider kubernetescrd; chain references in their
 *   own namespace only (allowCrossNamespace false by default);
 * - pkg/server/middleware/middlewares.go: a reference without @provider is qualified with the
 *   router's provider (kubernetes, which has no middlewares); a missing or multi-kind middleware
 *   makes the router unbuildable.
 */
import type { ObjectRef } from '../../../findings/finding.js';
import type { FieldPath, KubeObject, SourceDocument } from '../../../inputs/document.js';
import { isRecord } from '../../types.js';
import { rawAnnotations, readServiceBackend, readTls, type Backend } from '../ingress-spec.js';

export const PREFIX = 'traefik.ingress.kubernetes.io/';

/** An entry point of the static configuration (`--traefik-entrypoint`, or the Helm chart's web/websecure). */
export interface EntryPoint {
  name: string;
  /** HTTPS: `http.tls` on the entry point, every router on it is a TLS router. */
  protocol: 'HTTP' | 'HTTPS';
  port: number;
  /** http.redirections.entryPoint.to (scheme https, permanent). */
  redirectTo?: string;
}

/** Traefik Helm chart v41.3.0 values.yaml: web (80), websecure (443, TLS). */
export const DEFAULT_ENTRY_POINTS: readonly EntryPoint[] = [
  { name: 'web', protocol: 'HTTP', port: 80 },
  { name: 'websecure', protocol: 'HTTPS', port: 443 },
];

export interface RouterAnnotations {
  pathMatcher?: string;
  entryPoints?: string[];
  middlewares?: string[];
  priority?: number;
  ruleSyntax?: string;
  /** Present when router.tls is on. */
  tls?: { certResolver?: string; options?: string; domains: string[] };
}

export interface ServiceAnnotations {
  middlewares?: string[];
  passHostHeader?: boolean;
}

export interface TraefikIngress {
  doc: SourceDocument;
  ref: ObjectRef;
  namespace: string;
  name: string;
  raw: Record<string, string>;
  /** Why Traefik skipped the whole Ingress ("Failed to parse annotations"): the key at fault. */
  skipped?: { key: string; why: string };
  router: RouterAnnotations;
  /** Annotation key of each decoded router field (lower-case dotted path). */
  keys: Map<string, string>;
  rules: { host: string; http: boolean; at: FieldPath; paths: { path: string; pathType: string; backend?: Backend; at: FieldPath }[] }[];
  tls: { hosts: string[]; secretName: string; at: FieldPath }[];
  defaultBackend?: Backend;
}

export type { Backend } from '../ingress-spec.js';

export interface Middleware {
  ref: ObjectRef;
  namespace: string;
  name: string;
  id: string;
  kind?: string;
  config: Record<string, unknown>;
  invalid?: string;
}

/** A middleware of a router, resolved; `missing`: a reference to something not in the input. */
export type ChainItem = { mw: Middleware; via: ObjectRef[] } | { missing: string };

export interface Router {
  ingress: TraefikIngress;
  /** The Ingress path entry (or spec.defaultBackend for the default router). */
  at: FieldPath;
  host: string;
  /** '' when the path is empty (no path matcher). */
  matcher: 'Path' | 'PathPrefix' | 'PathRegexp' | '';
  path: string;
  rule: string;
  priority: number;
  /** Entry points the router is on (defined ones only). */
  entryPoints: EntryPoint[];
  tls: boolean;
  backend: Backend;
  /** Router middlewares, then the Service's (service.middlewares). */
  chain: ChainItem[];
  serviceAnn: ServiceAnnotations;
  /** The Service document, when in the input. */
  service?: KubeObject;
  isDefault: boolean;
  /** Why Traefik could not build it (unknown middleware, ...): it serves nothing. */
  broken?: { why: string; at: FieldPath; object: ObjectRef };
}

/** A path Traefik did not make a router for, and why (for reports). */
export interface SkippedPath {
  ingress: TraefikIngress;
  host: string;
  path: string;
  at: FieldPath;
  why: string;
  /** The annotation at fault, if any. */
  key?: string;
  object?: ObjectRef;
}

export interface TraefikConfig {
  entryPoints: readonly EntryPoint[];
  routers: Router[];
  skipped: SkippedPath[];
  ingresses: TraefikIngress[];
  /** Names the certificates of the default store are assumed to cover, with where they come from. */
  certificates: { names: string[]; ingress: TraefikIngress; at: FieldPath; secret: string }[];
  /** TLSStore default's default certificate (one store named default), if any. */
  defaultCertificate?: { ref: ObjectRef; secret: string };
  middlewares: Map<string, Middleware>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Go strconv.ParseBool. */
export function goBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** Go provider.Normalize: runs of characters other than letters and digits become one '-', trimmed. */
export function normalize(s: string): string {
  return s.split(/[^\p{L}\p{N}]+/u).filter(Boolean).join('-');
}

/** Go's %q for the strings of a rule: printable characters kept, `"` and `\` escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Length in bytes (Go's len of a string). */
export function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

type Field = 'string' | 'strings' | 'int' | 'bool' | 'ignored' | { struct: Record<string, Field>; allowEmpty: boolean; list?: boolean };

const ROUTER_FIELDS: Record<string, Field> = {
  pathmatcher: 'string',
  entrypoints: 'strings',
  middlewares: 'strings',
  priority: 'int',
  rulesyntax: 'string',
  tls: {
    allowEmpty: true,
    struct: { options: 'string', certresolver: 'string', resolvedoptions: 'ignored', domains: { list: true, allowEmpty: false, struct: { main: 'string', sans: 'strings' } } },
  },
  observability: { allowEmpty: true, struct: { accesslogs: 'bool', metrics: 'bool', tracing: 'bool', traceverbosity: 'string', metadata: 'ignored' } },
};

const SERVICE_FIELDS: Record<string, Field> = {
  serversscheme: 'string',
  serverstransport: 'string',
  passhostheader: 'bool',
  middlewares: 'strings',
  sticky: {
    allowEmpty: true,
    struct: {
      cookie: { allowEmpty: true, struct: { name: 'string', secure: 'bool', httponly: 'bool', samesite: 'string', maxage: 'int', path: 'string', domain: 'string', expires: 'ignored' } },
    },
  },
  nativelb: 'bool',
  nodeportlb: 'bool',
};

interface LabelNode {
  name: string;
  value?: string;
  key?: string;
  children: LabelNode[];
}

type Decoded = Record<string, unknown>;

/**
 * paerser's label decoding of one section (`router` or `service`) of the annotations:
 * `traefik.<rest>` labels, `a.b.<n>.c` read as the list element `a.b[n].c` (annotations.go
 * annotationsRegex), a tree of case-insensitive names, filled into the section's struct.
 */
export function decodeSection(annotations: Record<string, string>, section: 'router' | 'service'): { value?: Decoded; error?: { key: string; why: string }; keys: Map<string, string> } {
  const keys = new Map<string, string>();
  const root: LabelNode = { name: section, children: [] };
  const labels = Object.entries(annotations)
    .filter(([k]) => k.startsWith(PREFIX) && k.slice(PREFIX.length).toLowerCase().startsWith(`${section}.`))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (labels.length === 0) return { keys };
  for (const [key, value] of labels) {
    const rest = key.slice(PREFIX.length + section.length + 1);
    const parts = rest.split('.');
    if (parts.some((p) => p === '')) return { keys, error: { key, why: 'the key has an empty element' } };
    let node = root;
    for (const p of parts) {
      let child = node.children.find((c) => c.name.toLowerCase() === p.toLowerCase());
      if (!child) node.children.push((child = { name: p, children: [] }));
      node = child;
    }
    node.value = value;
    node.key = key;
  }
  const firstKey = (n: LabelNode): string => n.key ?? (n.children[0] ? firstKey(n.children[0]) : '');
  const fill = (fields: Record<string, Field>, nodes: LabelNode[], at: string): Decoded | { error: { key: string; why: string } } => {
    const out: Decoded = {};
    for (const n of nodes) {
      const name = n.name.toLowerCase();
      const f = fields[name];
      const path = `${at}.${name}`;
      if (f === undefined) return { error: { key: firstKey(n), why: `"${n.name}" is not a field Traefik knows (field not found)` } };
      if (f === 'ignored') continue;
      if (typeof f === 'object') {
        if (n.key) keys.set(path, n.key);
        if (f.list) {
          const items: Decoded[] = [];
          for (const c of n.children) {
            if (!/^\d+$/.test(c.name)) return { error: { key: firstKey(c), why: `"${c.name}" is not a list index` } };
            const inner = fill(f.struct, c.children, `${path}.${c.name}`);
            if ('error' in inner) return inner as { error: { key: string; why: string } };
            items[Number(c.name)] = inner as Decoded;
          }
          out[name] = items.filter(Boolean);
          continue;
        }
        if (n.value !== undefined && n.value !== '' && n.value.toLowerCase() !== 'true') continue; // disabled, sub-keys too
        const inner = fill(f.struct, n.children, path);
        if ('error' in inner) return inner as { error: { key: string; why: string } };
        out[name] = inner;
        continue;
      }
      if (n.children.length > 0) return { error: { key: firstKey(n.children[0]!), why: `"${n.name}" has no sub-fields` } };
      const v = n.value ?? '';
      if (n.key) keys.set(path, n.key);
      if (f === 'string') out[name] = v;
      else if (f === 'strings') {
        if (v !== '') out[name] = v.split(',').map((x) => x.trim());
      } else if (f === 'int') {
        if (!/^[+-]?\d+$/.test(v.trim() === v ? v : '')) return { error: { key: n.key ?? '', why: `"${v}" is not an integer` } };
        out[name] = Number(v);
      } else {
        const b = goBool(v);
        if (b === undefined) return { error: { key: n.key ?? '', why: `"${v}" is not a boolean` } };
        out[name] = b;
      }
    }
    return out;
  };
  const value = fill(section === 'router' ? ROUTER_FIELDS : SERVICE_FIELDS, root.children, section);
  if ('error' in value) return { keys, error: value.error as { key: string; why: string } };
  return { keys, value };
}

/** An Ingress as Traefik v3 reads it (networking.k8s.io/v1 only). */
export function readTraefikIngress(doc: SourceDocument): TraefikIngress | undefined {
  const o = doc.object;
  if (!o.metadata.name || o.apiVersion !== 'networking.k8s.io/v1') return undefined;
  const raw = rawAnnotations(o);
  const spec = isRecord(o.spec) ? o.spec : {};
  const namespace = o.metadata.namespace ?? 'default';
  const ing: TraefikIngress = {
    doc,
    ref: { apiVersion: o.apiVersion, kind: 'Ingress', namespace, name: o.metadata.name },
    namespace,
    name: o.metadata.name,
    raw,
    router: {},
    keys: new Map(),
    rules: [],
    tls: [],
  };
  const d = decodeSection(raw, 'router');
  ing.keys = d.keys;
  if (d.error) ing.skipped = d.error;
  else if (d.value) {
    const v = d.value;
    const r: RouterAnnotations = {};
    if (typeof v.pathmatcher === 'string') r.pathMatcher = v.pathmatcher;
    if (Array.isArray(v.entrypoints)) r.entryPoints = v.entrypoints as string[];
    if (Array.isArray(v.middlewares)) r.middlewares = v.middlewares as string[];
    if (typeof v.priority === 'number') r.priority = v.priority;
    if (typeof v.rulesyntax === 'string') r.ruleSyntax = v.rulesyntax;
    if (isRecord(v.tls)) {
      const t = v.tls;
      const domains = Array.isArray(t.domains) ? (t.domains as Decoded[]).flatMap((x) => [...(typeof x.main === 'string' ? [x.main] : []), ...(Array.isArray(x.sans) ? (x.sans as string[]) : [])]) : [];
      r.tls = { domains: domains.map((x) => x.toLowerCase()) };
      if (typeof t.certresolver === 'string') r.tls.certResolver = t.certresolver;
      if (typeof t.options === 'string') r.tls.options = t.options;
    }
    ing.router = r;
  }
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((r: unknown, i: number) => {
    if (!isRecord(r)) return;
    const at: FieldPath = ['spec', 'rules', i];
    const rule: TraefikIngress['rules'][number] = { host: (str(r.host) ?? '').toLowerCase(), http: isRecord(r.http), at, paths: [] };
    const paths = isRecord(r.http) && Array.isArray(r.http.paths) ? r.http.paths : [];
    paths.forEach((p: unknown, j: number) => {
      if (!isRecord(p)) return;
      const pat: FieldPath = [...at, 'http', 'paths', j];
      const entry: TraefikIngress['rules'][number]['paths'][number] = { path: str(p.path) ?? '', pathType: str(p.pathType) ?? '', at: pat };
      const b = readServiceBackend(p.backend, [...pat, 'backend']);
      if (b) entry.backend = b;
      rule.paths.push(entry);
    });
    ing.rules.push(rule);
  });
  ing.tls = readTls(spec);
  if (spec.defaultBackend !== undefined) {
    const b = readServiceBackend(spec.defaultBackend, ['spec', 'defaultBackend']);
    if (b) ing.defaultBackend = b;
  }
  return ing;
}

/** A value that counts as set (headers.go HasCustomHeadersDefined and the like). */
function nonEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return true;
}

/** Middleware kinds of v3.7.9 (crd/traefikio/v1alpha1/middleware.go MiddlewareSpec). */
const KINDS = new Set([
  'addPrefix', 'stripPrefix', 'stripPrefixRegex', 'replacePath', 'replacePathRegex', 'chain', 'ipWhiteList', 'ipAllowList', 'headers', 'encodedCharacters',
  'errors', 'rateLimit', 'redirectRegex', 'redirectScheme', 'basicAuth', 'digestAuth', 'forwardAuth', 'inFlightReq', 'buffering', 'circuitBreaker',
  'compress', 'passTLSClientCert', 'retry', 'contentType', 'grpcWeb', 'plugin',
]);

/** The traefik.io Middleware objects of the input by their Traefik id (v3 reads no other API group). */
export function indexMiddlewares(documents: readonly SourceDocument[]): Map<string, Middleware> {
  const out = new Map<string, Middleware>();
  for (const d of documents) {
    const o = d.object;
    if (o.kind !== 'Middleware' || !/^traefik\.io\//.test(o.apiVersion) || !o.metadata.name) continue;
    const namespace = o.metadata.namespace ?? 'default';
    const id = normalize(`${namespace}-${o.metadata.name}`);
    if (out.has(id)) continue;
    const spec = isRecord(o.spec) ? o.spec : {};
    const kinds = Object.keys(spec).filter((k) => spec[k] !== null && spec[k] !== undefined);
    const mw: Middleware = { ref: { apiVersion: o.apiVersion, kind: 'Middleware', namespace, name: o.metadata.name }, namespace, name: o.metadata.name, id, config: {} };
    if (kinds.length !== 1) mw.invalid = kinds.length === 0 ? 'it has no middleware kind' : `it has several kinds (${kinds.join(', ')})`;
    else {
      mw.kind = kinds[0]!;
      mw.config = isRecord(spec[mw.kind]) ? (spec[mw.kind] as Record<string, unknown>) : {};
      if (!KINDS.has(mw.kind)) mw.invalid = `"${mw.kind}" is not a middleware kind`;
      else if (mw.kind === 'addPrefix' && !str(mw.config.prefix)) mw.invalid = 'addPrefix: prefix cannot be empty';
      else if (mw.kind === 'redirectScheme' && !str(mw.config.scheme)) mw.invalid = 'redirectScheme: you must provide a target scheme';
      else if (mw.kind === 'headers' && !Object.values(mw.config).some(nonEmpty)) mw.invalid = 'headers configuration not valid (nothing set)';
    }
    out.set(id, mw);
  }
  return out;
}

/**
 * The middlewares of a reference list as BuildMiddlewareChain resolves them: `<id>@kubernetescrd`
 * to a Middleware of the input (a chain expanded in place), a name without provider to the
 * router's provider `kubernetes`, which has none. `broken` says why the router cannot be built;
 * `missing` references name something outside the input (another provider, or a Middleware
 * that is not in the input), whose effect the model cannot know.
 */
export function resolveChain(refs: readonly string[], middlewares: ReadonlyMap<string, Middleware>): { items: ChainItem[]; broken?: string } {
  const items: ChainItem[] = [];
  const visit = (id: string, via: ObjectRef[], seen: string[]): string | undefined => {
    const mw = middlewares.get(id);
    if (!mw) {
      items.push({ missing: `${id}@kubernetescrd` });
      return undefined;
    }
    if (seen.includes(id)) return `middleware ${id}@kubernetescrd is part of a recursive chain`;
    if (mw.invalid) return `middleware ${id}@kubernetescrd cannot be built: ${mw.invalid}`;
    if (mw.kind === 'chain') {
      const list = Array.isArray(mw.config.middlewares) ? mw.config.middlewares : [];
      for (const x of list) {
        if (!isRecord(x) || !str(x.name)) return `chain ${mw.namespace}/${mw.name} has an entry without a name`;
        const ns = str(x.namespace) ?? mw.namespace;
        // createChainMiddleware/resolveReference: another namespace needs allowCrossNamespace (off).
        if (ns !== mw.namespace) return `chain ${mw.namespace}/${mw.name} refers to ${ns}/${x.name} in another namespace (allowCrossNamespace is off)`;
        const why = visit(normalize(`${ns}-${x.name}`), [...via, mw.ref], [...seen, id]);
        if (why) return why;
      }
      return undefined;
    }
    items.push({ mw, via });
    return undefined;
  };
  for (const ref of refs) {
    const at = ref.lastIndexOf('@');
    const provider = at < 0 ? 'kubernetes' : ref.slice(at + 1);
    const name = at < 0 ? ref : ref.slice(0, at);
    if (provider === 'kubernetes') return { items, broken: `middleware ${name}@kubernetes does not exist (the Ingress provider defines no middlewares; a Middleware object is ${'<namespace>-<name>@kubernetescrd'})` };
    if (provider !== 'kubernetescrd') {
      items.push({ missing: ref });
      continue;
    }
    const why = visit(name, [], []);
    if (why) return { items, broken: why };
  }
  return { items };
}

/** The router rule loadRouter writes (v3 syntax, or v2's HostRegexp for a wildcard host). */
export function routerRule(host: string, matcher: Router['matcher'], path: string, ruleSyntax?: string): string {
  const parts: string[] = [];
  if (host) {
    if (ruleSyntax === 'v2' && host.startsWith('*.')) parts.push(`HostRegexp(${goQuote(host.replace('*.', '{subdomain:[a-zA-Z0-9-]+}.'))})`);
    else parts.push(`Host(${goQuote(host)})`);
  }
  if (matcher) parts.push(`${matcher}(${goQuote(path)})`);
  return parts.join(' && ');
}

/** Builds the configuration from the Ingresses Traefik serves. */
export function buildConfig(ingresses: readonly TraefikIngress[], documents: readonly SourceDocument[], services: ReadonlyMap<string, KubeObject>, entryPoints: readonly EntryPoint[]): TraefikConfig {
  const middlewares = indexMiddlewares(documents);
  const cfg: TraefikConfig = { entryPoints, routers: [], skipped: [], ingresses: [...ingresses], certificates: [], middlewares };
  const stores = documents.filter((d) => d.object.kind === 'TLSStore' && /^traefik\.io\//.test(d.object.apiVersion) && d.object.metadata.name === 'default');
  if (stores.length === 1) {
    const s = stores[0]!.object;
    const dc = isRecord(s.spec) && isRecord(s.spec.defaultCertificate) ? s.spec.defaultCertificate : undefined;
    if (dc && str(dc.secretName)) cfg.defaultCertificate = { ref: { apiVersion: s.apiVersion, kind: 'TLSStore', namespace: s.metadata.namespace ?? 'default', name: 'default' }, secret: str(dc.secretName)! };
  }
  let defaultRouter = false;
  for (const ing of ingresses) {
    const skip = (host: string, path: string, at: FieldPath, why: string, key?: string) => cfg.skipped.push({ ingress: ing, host, path, at, why, ...(key ? { key } : {}) });
    if (ing.skipped) {
      for (const r of ing.rules) for (const p of r.paths) skip(r.host, p.path, p.at, `Traefik could not decode the router annotations (${ing.skipped.key}: ${ing.skipped.why}) and skipped the Ingress`, ing.skipped.key);
      continue;
    }
    // Every tls Secret goes to the default store; the certificate is assumed to cover the hosts
    // listed with it, or, without hosts, the Ingress's rule hosts.
    for (const t of ing.tls) {
      if (!t.secretName) continue;
      const names = t.hosts.length ? t.hosts : ing.rules.map((r) => r.host).filter(Boolean);
      cfg.certificates.push({ names, ingress: ing, at: t.at, secret: `${ing.namespace}/${t.secretName}` });
    }
    const ra = ing.router;
    const eps = ra.entryPoints?.length ? entryPoints.filter((e) => ra.entryPoints!.includes(e.name)) : [...entryPoints];
    const chain = ra.middlewares ? resolveChain(ra.middlewares, middlewares) : { items: [] as ChainItem[] };
    const mwKey = ing.keys.get('router.middlewares');
    const make = (host: string, matcher: Router['matcher'], path: string, backend: Backend, at: FieldPath, isDefault: boolean): Router | string => {
      const svc = services.get(`${ing.namespace}/${backend.service}`);
      let serviceAnn: ServiceAnnotations = {};
      let serviceChain: ChainItem[] = [];
      if (svc) {
        const ports = isRecord(svc.spec) && Array.isArray(svc.spec.ports) ? svc.spec.ports.filter(isRecord) : [];
        if (!ports.some((p) => (typeof backend.port === 'number' ? p.port === backend.port : p.name === backend.port))) return `Service ${ing.namespace}/${backend.service} has no port ${backend.port} ("service port not found")`;
        const sa = decodeSection(Object.fromEntries(Object.entries(svc.metadata.annotations ?? {}).map(([k, v]) => [k, String(v)])), 'service');
        if (sa.error) return `the annotations of Service ${ing.namespace}/${backend.service} cannot be decoded (${sa.error.key}: ${sa.error.why}): "Cannot create service"`;
        if (sa.value) {
          if (Array.isArray(sa.value.middlewares)) {
            serviceAnn.middlewares = sa.value.middlewares as string[];
            const sc = resolveChain(serviceAnn.middlewares, middlewares);
            serviceChain = sc.items;
            if (sc.broken) return `the service middlewares of Service ${ing.namespace}/${backend.service} cannot be built: ${sc.broken}`;
          }
          if (typeof sa.value.passhostheader === 'boolean') serviceAnn.passHostHeader = sa.value.passhostheader;
        }
      }
      const rule = routerRule(host, matcher, path, ra.ruleSyntax);
      const r: Router = {
        ingress: ing,
        at,
        host,
        matcher,
        path,
        rule,
        priority: isDefault ? -2147483648 : ra.priority ? ra.priority : byteLength(rule),
        entryPoints: eps,
        tls: ra.tls !== undefined,
        backend,
        chain: [...chain.items, ...serviceChain],
        serviceAnn,
        isDefault,
      };
      if (svc) r.service = svc;
      if (chain.broken) r.broken = { why: chain.broken, at: mwKey ? ['metadata', 'annotations', mwKey] : ['metadata'], object: ing.ref };
      return r;
    };
    if (ing.rules.length === 0 && ing.defaultBackend) {
      if (defaultRouter) {
        skip('', '/', ing.defaultBackend.at.slice(0, 2), 'The default backend already exists');
      } else {
        const r = make('', 'PathPrefix', '/', ing.defaultBackend, ['spec', 'defaultBackend'], true);
        if (typeof r === 'string') skip('', '/', ['spec', 'defaultBackend'], r);
        else {
          r.rule = 'PathPrefix("/")';
          cfg.routers.push(r);
          defaultRouter = true;
        }
      }
    }
    for (const rule of ing.rules) {
      if (!rule.http) continue;
      for (const p of rule.paths) {
        if (!p.backend) {
          skip(rule.host, p.path, p.at, 'resource backends are not supported');
          continue;
        }
        let matcher: Router['matcher'] = '';
        if (p.path !== '') {
          matcher = 'PathPrefix';
          if (p.pathType === '' || p.pathType === 'ImplementationSpecific') {
            const pm = ra.pathMatcher;
            if (pm) {
              if (pm !== 'Path' && pm !== 'PathPrefix' && pm !== 'PathRegexp') {
                skip(rule.host, p.path, p.at, `invalid router path matcher "${pm}"`, ing.keys.get('router.pathmatcher'));
                continue;
              }
              matcher = pm;
            }
          } else if (p.pathType === 'Exact') matcher = 'Path';
        }
        const r = make(rule.host, matcher, p.path, p.backend, p.at, false);
        if (typeof r === 'string') skip(rule.host, p.path, p.at, r);
        else cfg.routers.push(r);
      }
    }
  }
  return cfg;
}
