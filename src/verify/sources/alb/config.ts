/**
 * The load balancers AWS Load Balancer Controller v3.5.0 builds from Ingresses, written from its
 * sources (docs/research/alb.md has the line references), without the translation's code:
 *
 * - pkg/ingress/group_loader.go: IngressGroups (group.name, else an implicit group per Ingress),
 *   members ordered by group.order, then namespace/name; an invalid group name leaves the Ingress
 *   out; an order out of [-1000, 1000] fails the group;
 * - model_build_listener.go: listen-ports JSON (default HTTP 80, or HTTPS 443 with a
 *   certificate-arn), the listener's default action (a member's spec.defaultBackend, else a fixed
 *   404); ssl-redirect: every HTTP listener redirects (301) and has no rules;
 * - model_build_listener_rules.go: per listener, the members on that port in order, each rule
 *   with http, each path in sortIngressPaths order (Exact, Prefix longest first, then
 *   ImplementationSpecific), with its conditions (host, path patterns, conditions.<service>),
 *   actions (a Service port, or actions.<service> for `use-annotation`) and transforms; the rule
 *   optimizer drops redirects to themselves (rule_optimizer.go isInfiniteRedirectRule);
 * - enhanced_backend_builder.go, config_types.go: JSON read with encoding/json (field names
 *   case-insensitive); a missing action answers 503 (tolerate-non-existent-backend-action).
 */
import type { ObjectRef } from '../../../findings/finding.js';
import type { FieldPath, KubeObject, SourceDocument } from '../../../inputs/document.js';
import { isRecord } from '../../types.js';
import { rawAnnotations } from '../ingress-spec.js';

export const PREFIX = 'alb.ingress.kubernetes.io/';

/** A field of a JSON object as encoding/json finds it: the exact name, else case-insensitively. */
export function field(o: unknown, name: string): unknown {
  if (!isRecord(o)) return undefined;
  if (name in o) return o[name];
  const k = Object.keys(o).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : o[k];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export type Condition =
  | { field: 'host-header'; values: string[]; regex: string[] }
  | { field: 'path-pattern'; values: string[]; regex: string[] }
  | { field: 'http-header'; name: string; values: string[]; regex: string[] }
  | { field: 'http-request-method'; values: string[] }
  | { field: 'query-string'; values: { key?: string; value: string }[] }
  | { field: 'source-ip'; values: string[] };

export interface TargetGroup {
  service?: string;
  port?: number | string;
  /** ARN or name of a target group outside the cluster. */
  external?: string;
  weight: number;
}

export type Action =
  | { type: 'forward'; targets: TargetGroup[] }
  | { type: 'redirect'; protocol?: string; host?: string; port?: string; path?: string; query?: string; status: number }
  | { type: 'fixed-response'; status: number; why?: string };

export interface Transform {
  type: 'host-header-rewrite' | 'url-rewrite';
  rewrites: { regex: string; replace: string }[];
}

export interface AlbIngress {
  doc: SourceDocument;
  ref: ObjectRef;
  namespace: string;
  name: string;
  raw: Record<string, string>;
  group: string;
  order: number;
  ports: { protocol: 'HTTP' | 'HTTPS'; port: number }[];
  /** IngressClassParams sslRedirectPort (wins over the ssl-redirect annotation). */
  sslRedirectPort?: number;
  /** Why the controller does not serve it (an annotation it cannot read). */
  invalid?: { key: string; why: string };
}

export interface Rule {
  ingress: AlbIngress;
  /** The Ingress path entry. */
  at: FieldPath;
  path: string;
  pathType: string;
  conditions: Condition[];
  action: Action;
  transforms: Transform[];
  /** Annotation keys that gave the conditions, action and transforms. */
  keys: { conditions?: string; action?: string; transforms?: string };
  /** The backend Service name of the Ingress path (`use-annotation` names the action). */
  serviceName: string;
  /** backend-protocol-version GRPC (the Service's annotation first, then the Ingress's): gRPC target groups. */
  grpc: boolean;
}

export interface Listener {
  protocol: 'HTTP' | 'HTTPS';
  port: number;
  /** ssl-redirect: every request is redirected to this HTTPS port (301), no rules. */
  sslRedirect?: { port: number; ingress: AlbIngress };
  rules: Rule[];
  /** Rules the optimizer dropped (redirects to themselves). */
  dropped: Rule[];
  defaultAction: { action: Action; ingress?: AlbIngress; at?: FieldPath };
}

export interface LoadBalancer {
  group: string;
  members: AlbIngress[];
  listeners: Listener[];
  /** Why the controller could not build the group (nothing of it is served). */
  failed?: { why: string; ingress: AlbIngress; key?: string };
}

export interface AlbConfig {
  loadBalancers: LoadBalancer[];
  /** Ingresses the controller leaves out (invalid group name...). */
  excluded: { ingress: AlbIngress; why: string; key?: string }[];
}

const VALID_HOST = /^(?!(\d+\.){3}\d+$)(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const GROUP_NAME = /^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$/;

/** Go's strconv.ParseBool. */
function goBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

function parseJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/** The IngressClassParams (elbv2.k8s.aws) of the Ingress's IngressClass, if any (class_loader.go). */
export function classParams(o: KubeObject, ingressClasses: ReadonlyMap<string, KubeObject>, documents: readonly SourceDocument[]): Record<string, unknown> | undefined {
  const spec = isRecord(o.spec) ? o.spec : {};
  const name = o.metadata.annotations?.['kubernetes.io/ingress.class'] ?? str(spec.ingressClassName);
  const ic = name ? ingressClasses.get(name) : undefined;
  const params = ic && isRecord(ic.spec) && isRecord(ic.spec.parameters) ? ic.spec.parameters : undefined;
  if (!params || params.kind !== 'IngressClassParams' || typeof params.name !== 'string') return undefined;
  const doc = documents.find((d) => d.object.kind === 'IngressClassParams' && /^elbv2\.k8s\.aws\//.test(d.object.apiVersion) && d.object.metadata.name === params.name);
  return doc && isRecord(doc.object.spec) ? doc.object.spec : undefined;
}

export function readAlbIngress(doc: SourceDocument, params?: Record<string, unknown>): AlbIngress | undefined {
  const o = doc.object;
  // The API server refuses an object whose name or namespace is not a DNS name (a template).
  if (!o.metadata.name || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(o.metadata.name) || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.metadata.namespace ?? 'default')) return undefined;
  const raw = rawAnnotations(o);
  const namespace = o.metadata.namespace ?? 'default';
  const ing: AlbIngress = { doc, ref: { apiVersion: o.apiVersion, kind: 'Ingress', namespace, name: o.metadata.name }, namespace, name: o.metadata.name, raw, group: `${namespace}/${o.metadata.name}`, order: 0, ports: [] };
  const get = (k: string) => {
    const v = raw[PREFIX + k];
    return v === undefined ? undefined : v.trim();
  };
  const invalid = (k: string, why: string) => (ing.invalid ??= { key: PREFIX + k, why });
  const pg = isRecord(params?.group) ? str(params.group.name) : undefined;
  const g = pg ?? get('group.name');
  if (pg !== undefined) ing.group = pg;
  else if (g !== undefined) {
    if (!GROUP_NAME.test(g) || g.length > 63) invalid('group.name', `"${g}" is not a valid group name`);
    else ing.group = g;
  }
  const ord = get('group.order');
  if (ord !== undefined) {
    if (!/^[+-]?\d+$/.test(ord)) invalid('group.order', `"${ord}" is not an integer`);
    else ing.order = Number(ord);
  }
  const lp = get('listen-ports');
  const hasCert = (Array.isArray(params?.certificateArn) && params.certificateArn.length > 0) || (get('certificate-arn') !== undefined && get('certificate-arn') !== '');
  if (typeof params?.sslRedirectPort === 'string' && /^\d+$/.test(params.sslRedirectPort)) ing.sslRedirectPort = Number(params.sslRedirectPort);
  if (lp !== undefined) {
    const j = parseJson(lp);
    if (!Array.isArray(j)) invalid('listen-ports', 'not a JSON list');
    else {
      for (const e of j) {
        if (!isRecord(e)) continue;
        for (const [proto, port] of Object.entries(e)) {
          const p = typeof port === 'number' ? port : Number(port);
          if ((proto === 'HTTP' || proto === 'HTTPS') && Number.isInteger(p) && p >= 1 && p <= 65535) ing.ports.push({ protocol: proto, port: p });
          else invalid('listen-ports', `${proto}: ${String(port)} is not a listener`);
        }
      }
    }
  } else ing.ports.push(hasCert ? { protocol: 'HTTPS', port: 443 } : { protocol: 'HTTP', port: 80 });
  return ing;
}

function parseConditions(v: unknown): Condition[] | string {
  if (!Array.isArray(v)) return 'not a JSON list';
  const out: Condition[] = [];
  for (const c of v) {
    const f = str(field(c, 'field'));
    switch (f) {
      case 'host-header': {
        const cfg = field(c, 'hostHeaderConfig');
        out.push({ field: f, values: strs(field(cfg, 'values')), regex: strs(field(cfg, 'regexValues')) });
        break;
      }
      case 'path-pattern': {
        const cfg = field(c, 'pathPatternConfig');
        out.push({ field: f, values: strs(field(cfg, 'values')), regex: strs(field(cfg, 'regexValues')) });
        break;
      }
      case 'http-header': {
        const cfg = field(c, 'httpHeaderConfig');
        out.push({ field: f, name: str(field(cfg, 'httpHeaderName')) ?? '', values: strs(field(cfg, 'values')), regex: strs(field(cfg, 'regexValues')) });
        break;
      }
      case 'http-request-method':
        out.push({ field: f, values: strs(field(field(c, 'httpRequestMethodConfig'), 'values')) });
        break;
      case 'query-string': {
        const vals = field(field(c, 'queryStringConfig'), 'values');
        out.push({ field: f, values: (Array.isArray(vals) ? vals : []).map((x) => ({ ...(str(field(x, 'key')) !== undefined ? { key: str(field(x, 'key'))! } : {}), value: str(field(x, 'value')) ?? '' })) });
        break;
      }
      case 'source-ip':
        out.push({ field: f, values: strs(field(field(c, 'sourceIpConfig'), 'values')) });
        break;
      default:
        return `unknown condition field ${String(f)}`;
    }
  }
  return out;
}

function parseAction(v: unknown): Action | string {
  const type = str(field(v, 'type'));
  if (type === 'fixed-response') {
    const cfg = field(v, 'fixedResponseConfig');
    if (!isRecord(cfg)) return 'missing FixedResponseConfig';
    return { type, status: Number(str(field(cfg, 'statusCode')) ?? '') };
  }
  if (type === 'redirect') {
    const cfg = field(v, 'redirectConfig');
    if (!isRecord(cfg)) return 'missing RedirectConfig';
    const a: Action = { type, status: str(field(cfg, 'statusCode')) === 'HTTP_302' ? 302 : 301 };
    for (const k of ['protocol', 'host', 'port', 'path', 'query'] as const) {
      const x = str(field(cfg, k));
      if (x !== undefined) a[k] = x;
    }
    return a;
  }
  if (type === 'forward') {
    const arn = str(field(v, 'targetGroupARN')) ?? str(field(v, 'targetGroupName'));
    if (arn !== undefined) return { type, targets: [{ external: arn, weight: 1 }] };
    const cfg = field(v, 'forwardConfig');
    if (!isRecord(cfg)) return 'missing ForwardConfig';
    const tgs = field(cfg, 'targetGroups');
    const targets: TargetGroup[] = [];
    for (const t of Array.isArray(tgs) ? tgs : []) {
      const ext = str(field(t, 'targetGroupARN')) ?? str(field(t, 'targetGroupName'));
      const w = field(t, 'weight');
      const weight = typeof w === 'number' ? w : 1;
      if (ext !== undefined) {
        targets.push({ external: ext, weight });
        continue;
      }
      const sp = field(t, 'servicePort');
      // normalizeServicePortForBackwardsCompatibility: "80" is the number 80.
      const port = typeof sp === 'number' ? sp : typeof sp === 'string' && /^\d+$/.test(sp) ? Number(sp) : typeof sp === 'string' ? sp : undefined;
      targets.push({ service: str(field(t, 'serviceName')) ?? '', ...(port !== undefined ? { port } : {}), weight });
    }
    return { type, targets };
  }
  return `unknown action type ${String(type)}`;
}

function parseTransforms(v: unknown): Transform[] | string {
  if (!Array.isArray(v)) return 'not a JSON list';
  const out: Transform[] = [];
  for (const t of v) {
    const type = str(field(t, 'type'));
    if (type !== 'host-header-rewrite' && type !== 'url-rewrite') return `unknown transform type ${String(type)}`;
    const cfg = field(t, type === 'url-rewrite' ? 'urlRewriteConfig' : 'hostHeaderRewriteConfig');
    const rw = field(cfg, 'rewrites');
    out.push({ type, rewrites: (Array.isArray(rw) ? rw : []).map((r) => ({ regex: str(field(r, 'regex')) ?? '', replace: str(field(r, 'replace')) ?? '' })) });
  }
  return out;
}

/** sortIngressPaths: Exact, then Prefix by length (longest first, stable), then the rest in order. */
function sortPaths<T extends { pathType: string; path: string }>(paths: T[]): T[] {
  const exact = paths.filter((p) => p.pathType === 'Exact');
  const prefix = paths.filter((p) => p.pathType === 'Prefix');
  const rest = paths.filter((p) => p.pathType !== 'Exact' && p.pathType !== 'Prefix');
  return [...exact, ...[...prefix].sort((a, b) => b.path.length - a.path.length), ...rest];
}

/** isInfiniteRedirectRule of rule_optimizer.go. */
function redirectsToItself(port: number, protocol: string, r: Rule): boolean {
  const a = r.action;
  if (a.type !== 'redirect') return false;
  const hosts = r.conditions.flatMap((c) => (c.field === 'host-header' ? c.values : []));
  const paths = r.conditions.flatMap((c) => (c.field === 'path-pattern' ? c.values : []));
  if (r.conditions.some((c) => c.field === 'path-pattern' && c.regex.length > 0)) return false;
  if (a.host !== undefined && a.host !== '#{host}' && !hosts.includes(a.host)) return false;
  if (a.path !== undefined && a.path !== '/#{path}' && !paths.includes(a.path)) return false;
  if (a.port !== undefined && a.port !== '#{port}' && a.port !== String(port)) return false;
  if (a.protocol !== undefined && a.protocol !== '#{protocol}' && a.protocol !== protocol) return false;
  if (a.query !== undefined && a.query !== '#{query}') return false;
  return true;
}

/** Builds the load balancers of the Ingresses the controller serves. */
export function buildConfig(ingresses: readonly AlbIngress[], services: ReadonlyMap<string, KubeObject>): AlbConfig {
  const cfg: AlbConfig = { loadBalancers: [], excluded: [] };
  const groups = new Map<string, AlbIngress[]>();
  for (const i of ingresses) {
    if (i.invalid?.key === `${PREFIX}group.name`) {
      cfg.excluded.push({ ingress: i, why: i.invalid.why, key: i.invalid.key });
      continue;
    }
    let g = groups.get(i.group);
    if (!g) groups.set(i.group, (g = []));
    g.push(i);
  }
  for (const [group, members] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    members.sort((a, b) => a.order - b.order || (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
    const lb: LoadBalancer = { group, members, listeners: [] };
    cfg.loadBalancers.push(lb);
    const bad = members.find((m) => m.invalid || m.order < -1000 || m.order > 1000);
    if (bad) {
      lb.failed = { why: bad.invalid?.why ?? `group.order ${bad.order} is outside [-1000, 1000]`, ingress: bad, key: bad.invalid?.key ?? `${PREFIX}group.order` };
      continue;
    }
    // ssl-redirect: one port for the group (the first member that sets it).
    let ssl: { port: number; ingress: AlbIngress } | undefined;
    for (const m of members) {
      const v = m.sslRedirectPort !== undefined ? String(m.sslRedirectPort) : m.raw[`${PREFIX}ssl-redirect`]?.trim();
      if (v !== undefined && /^\d+$/.test(v) && !ssl) ssl = { port: Number(v), ingress: m };
    }
    const ports = new Map<number, Listener>();
    for (const m of members) {
      for (const p of m.ports) {
        const existing = ports.get(p.port);
        if (existing && existing.protocol !== p.protocol) {
          lb.failed = { why: `port ${p.port} is ${existing.protocol} for one member and ${p.protocol} for another`, ingress: m, key: `${PREFIX}listen-ports` };
        } else if (!existing) ports.set(p.port, { protocol: p.protocol, port: p.port, rules: [], dropped: [], defaultAction: { action: { type: 'fixed-response', status: 404 } } });
      }
    }
    if (lb.failed) continue;
    if (ssl && ports.get(ssl.port)?.protocol !== 'HTTPS') {
      lb.failed = { why: `ssl-redirect port ${ssl.port} is not an HTTPS listener of the group`, ingress: ssl.ingress, key: `${PREFIX}ssl-redirect` };
      continue;
    }
    for (const l of [...ports.values()].sort((a, b) => a.port - b.port)) {
      lb.listeners.push(l);
      const on = members.filter((m) => m.ports.some((p) => p.port === l.port));
      // The default action: the spec.defaultBackend of a member on this listener (two fail the group).
      const withDefault = on.filter((m) => isRecord(m.doc.object.spec) && isRecord(m.doc.object.spec.defaultBackend));
      if (withDefault.length > 1) {
        lb.failed = { why: 'multiple ingress defined default backend', ingress: withDefault[1]!, key: '' };
        break;
      }
      for (const m of on) {
        const spec = isRecord(m.doc.object.spec) ? m.doc.object.spec : {};
        if (!isRecord(spec.defaultBackend)) continue;
        const r = buildRule(m, '', '', spec.defaultBackend, ['spec', 'defaultBackend'], undefined, services);
        if (typeof r === 'string') continue;
        l.defaultAction = { action: r.action, ingress: m, at: ['spec', 'defaultBackend'] };
        break;
      }
      if (ssl && l.protocol === 'HTTP') {
        l.sslRedirect = ssl;
        l.defaultAction = { action: { type: 'redirect', protocol: 'HTTPS', port: String(ssl.port), status: 301 }, ingress: ssl.ingress, at: ['metadata', 'annotations', `${PREFIX}ssl-redirect`] };
        continue;
      }
      for (const m of on) {
        const spec = isRecord(m.doc.object.spec) ? m.doc.object.spec : {};
        (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: unknown, i: number) => {
          if (!isRecord(rule) || !isRecord(rule.http)) return;
          const host = (str(rule.host) ?? '').toLowerCase();
          // The API server refuses a host that is not a DNS name, and a path not starting with '/'.
          if (host !== '' && !VALID_HOST.test(host)) return;
          const paths = (Array.isArray(rule.http.paths) ? rule.http.paths : []).map((p: unknown, j: number) => ({ p: isRecord(p) ? p : {}, at: ['spec', 'rules', i, 'http', 'paths', j] as FieldPath, path: isRecord(p) ? (str(p.path) ?? '') : '', pathType: isRecord(p) ? (str(p.pathType) ?? 'ImplementationSpecific') : '' }));
          for (const x of sortPaths(paths.filter((q) => q.path === '' || q.path.startsWith('/')))) {
            const r = buildRule(m, x.path, x.pathType, x.p.backend, x.at, host, services);
            if (typeof r === 'string') continue;
            if (redirectsToItself(l.port, l.protocol, r)) l.dropped.push(r);
            else l.rules.push(r);
          }
        });
      }
    }
  }
  return cfg;
}

/** One listener rule (conditions, action, transforms) of an Ingress path; a string when the controller refuses it. */
function buildRule(m: AlbIngress, path: string, pathType: string, backend: unknown, at: FieldPath, host: string | undefined, services: ReadonlyMap<string, KubeObject>): Rule | string {
  const svc = field(backend, 'service');
  // extensions/v1beta1 backends (serviceName/servicePort), as the API server converts them.
  const legacyPort = isRecord(backend) ? backend.servicePort : undefined;
  const name = str(field(svc, 'name')) ?? (isRecord(backend) ? str(backend.serviceName) : undefined);
  if (!name) return 'not a Service backend';
  const port = field(svc, 'port');
  const portName = str(field(port, 'name')) ?? (typeof legacyPort === 'string' && !/^\d+$/.test(legacyPort) ? legacyPort : undefined);
  const portNumber = field(port, 'number') ?? (typeof legacyPort === 'number' ? legacyPort : typeof legacyPort === 'string' && /^\d+$/.test(legacyPort) ? Number(legacyPort) : undefined);
  const keys: Rule['keys'] = {};
  const conditions: Condition[] = [];
  const transforms: Transform[] = [];
  const condKey = `${PREFIX}conditions.${name}`;
  if (m.raw[condKey] !== undefined) {
    const c = parseConditions(parseJson(m.raw[condKey]!));
    if (typeof c === 'string') return c;
    keys.conditions = condKey;
    conditions.push(...c);
  }
  const trKey = `${PREFIX}transforms.${name}`;
  if (m.raw[trKey] !== undefined) {
    const t = parseTransforms(parseJson(m.raw[trKey]!));
    if (typeof t === 'string') return t;
    keys.transforms = trKey;
    transforms.push(...t);
  }
  let action: Action;
  if (portName === 'use-annotation') {
    const actKey = `${PREFIX}actions.${name}`;
    keys.action = actKey;
    if (m.raw[actKey] === undefined) action = { type: 'fixed-response', status: 503, why: `${actKey} does not exist (tolerate-non-existent-backend-action)` };
    else {
      const a = parseAction(parseJson(m.raw[actKey]!));
      if (typeof a === 'string') return a;
      action = a;
    }
  } else {
    action = { type: 'forward', targets: [{ service: name, port: portName ?? (typeof portNumber === 'number' ? portNumber : 0), weight: 1 }] };
  }
  // Host and path conditions (buildRuleConditions).
  const hosts: string[] = host ? [host] : [];
  const hostRegex: string[] = [];
  const pathValues: string[] = [];
  const pathRegex: string[] = [];
  if (path !== '') {
    if (pathType === 'Exact') pathValues.push(path);
    else if (pathType === 'Prefix') pathValues.push(...(path === '/' ? ['/*'] : [path.replace(/\/$/, ''), `${path.replace(/\/$/, '')}/*`]));
    else if (goBool(m.raw[`${PREFIX}use-regex-path-match`]?.trim() ?? '') === true) pathRegex.push(path.slice(1));
    else pathValues.push(path);
  }
  const rest: Condition[] = [];
  for (const c of conditions) {
    if (c.field === 'host-header') {
      hosts.push(...c.values);
      hostRegex.push(...c.regex);
    } else if (c.field === 'path-pattern') {
      pathValues.push(...c.values);
      pathRegex.push(...c.regex);
    } else rest.push(c);
  }
  if ((hosts.length && hostRegex.length) || (pathValues.length && pathRegex.length)) return 'Values and RegexValues together';
  const all: Condition[] = [...rest];
  if (hosts.length || hostRegex.length) all.push({ field: 'host-header', values: hosts, regex: hostRegex });
  if (pathValues.length || pathRegex.length) all.push({ field: 'path-pattern', values: pathValues, regex: pathRegex });
  if (all.length === 0) all.push({ field: 'path-pattern', values: ['/*'], regex: [] });
  const svcObj = services.get(`${m.namespace}/${name}`);
  const version = svcObj?.metadata.annotations?.[`${PREFIX}backend-protocol-version`] ?? m.raw[`${PREFIX}backend-protocol-version`];
  return { ingress: m, at, path, pathType, conditions: all, action, transforms, keys, serviceName: name, grpc: version?.trim().toUpperCase() === 'GRPC' && action.type === 'forward' };
}
