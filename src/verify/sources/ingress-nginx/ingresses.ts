/**
 * Ingress objects as ingress-nginx controller-v1.15.1 loads them (store.go updateIngress,
 * internal/k8s/main.go SetDefaultNGINXPathType) and the annotations the model simulates, parsed
 * the way its annotation parsers do (internal/ingress/annotations/**). Written from the
 * controller's sources and docs/research, independently of the translation.
 */
import type { ObjectRef } from '../../../findings/finding.js';
import type { FieldPath, SourceDocument } from '../../../inputs/document.js';
import { isRecord } from '../../types.js';
import { rawAnnotations, readServiceBackend, readTls, type Backend } from '../ingress-spec.js';

export const PREFIX = 'nginx.ingress.kubernetes.io/';

export type { Backend } from '../ingress-spec.js';

export interface IngressPath {
  /** After the store's defaulting: '' becomes '/'. */
  path: string;
  /** ImplementationSpecific and a missing pathType are Prefix (SetDefaultNGINXPathType). */
  pathType: 'Exact' | 'Prefix';
  /** undefined: a resource backend, which ingress-nginx skips. */
  backend?: Backend;
  at: FieldPath;
}

export interface IngressRule {
  /** Lower case; '' for a rule without host. */
  host: string;
  http: boolean;
  paths: IngressPath[];
  at: FieldPath;
}

export interface Canary {
  header?: string;
  headerValue?: string;
  headerPattern?: string;
  cookie?: string;
  weight: number;
  weightTotal: number;
}

/** The annotation values the model simulates, as ingress-nginx parsed them. */
export interface Annotations {
  sslRedirect: boolean;
  forceSslRedirect: boolean;
  preserveTrailingSlash: boolean;
  useRegex: boolean;
  rewriteTarget: string;
  xForwardedPrefix: string;
  appRoot: string;
  /** return <code> <url> (temporal-redirect wins over permanent-redirect). */
  redirect?: { url: string; code: number; key: string };
  fromToWww: boolean;
  upstreamVhost: string;
  aliases: string[];
  sslPassthrough: boolean;
  canary?: Canary;
  backendProtocol: string;
  customHeaders: string;
  mirrorTarget: string;
  /** auth-type basic or digest with an auth-secret: the Authorization header is cleared upstream. */
  basicAuth: boolean;
}

export interface NginxIngress {
  doc: SourceDocument;
  ref: ObjectRef;
  namespace: string;
  name: string;
  /** creationTimestamp, '' when absent. */
  created: string;
  ann: Annotations;
  raw: Record<string, string>;
  rules: IngressRule[];
  tls: { hosts: string[]; secretName: string; at: FieldPath }[];
  defaultBackend?: Backend;
  /**
   * Why ingress-nginx refused to load the Ingress: the annotation whose validation failed
   * (`key`), or the path that gave nginx a configuration it does not accept (`at`).
   */
  rejected?: { key?: string; at?: FieldPath; why: string };
}

/** Keys whose effect on routing the model simulates. */
export const MODELLED = new Set(
  [
    'ssl-redirect',
    'force-ssl-redirect',
    'preserve-trailing-slash',
    'use-regex',
    'rewrite-target',
    'x-forwarded-prefix',
    'app-root',
    'permanent-redirect',
    'permanent-redirect-code',
    'temporal-redirect',
    'temporal-redirect-code',
    'from-to-www-redirect',
    'upstream-vhost',
    'server-alias',
    'ssl-passthrough',
    'canary',
    'canary-by-header',
    'canary-by-header-value',
    'canary-by-header-pattern',
    'canary-by-cookie',
    'canary-weight',
    'canary-weight-total',
    'backend-protocol',
    'custom-headers',
    'mirror-target',
  ].map((k) => PREFIX + k),
);

/** Go's strconv.ParseBool. */
function goBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** Validators of internal/ingress/annotations/parser/validators.go (controller-v1.15.1). */
const REGEX_PATH_WITH_CAPTURE = /^\/?[-._~a-zA-Z0-9/:$]*$/;
const URL_IS_VALID = /^[-._~a-zA-Z0-9/:,?&=]*$/;
const BASIC_CHARS = /^[/\-._~a-zA-Z0-9/:]*$/;
const SERVER_NAME = /^[-._~a-zA-Z0-9/:^$[\](){}*+?|&=\\]*$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** IngressRule.host: a DNS-1123 subdomain, optionally behind `*.`, not an IP address. */
const VALID_HOST = /^(?!(\d+\.){3}\d+$)(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Reads one Ingress document the way the controller's store does; undefined when it is not usable at all. */
export function readNginxIngress(doc: SourceDocument): NginxIngress | undefined {
  const o = doc.object;
  if (!o.metadata.name) return undefined;
  const raw = rawAnnotations(o);
  const spec = isRecord(o.spec) ? o.spec : {};
  const legacy = o.apiVersion !== 'networking.k8s.io/v1';
  let rejected: NginxIngress['rejected'];
  const ing: NginxIngress = {
    doc,
    ref: { apiVersion: o.apiVersion, kind: 'Ingress', namespace: o.metadata.namespace ?? 'default', name: o.metadata.name },
    namespace: o.metadata.namespace ?? 'default',
    name: o.metadata.name,
    created: str(o.metadata.creationTimestamp) ?? '',
    ann: parseAnnotations(raw, (key, why) => (rejected ??= { key, why })),
    raw,
    rules: [],
    tls: [],
  };
  if (rejected) ing.rejected = rejected;
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((r: unknown, i: number) => {
    if (!isRecord(r)) return;
    const at: FieldPath = ['spec', 'rules', i];
    const rule: IngressRule = { host: (str(r.host) ?? '').toLowerCase(), http: isRecord(r.http), paths: [], at };
    // The API server refuses a host that is not a DNS name (a template placeholder, say): no
    // controller ever saw such a rule.
    if (rule.host !== '' && !VALID_HOST.test(rule.host)) return;
    const paths = isRecord(r.http) && Array.isArray(r.http.paths) ? r.http.paths : [];
    paths.forEach((p: unknown, j: number) => {
      if (!isRecord(p)) return;
      const pat: FieldPath = [...at, 'http', 'paths', j];
      const type = str(p.pathType) ?? (legacy ? 'ImplementationSpecific' : undefined);
      if (type !== 'Exact' && type !== 'Prefix' && type !== 'ImplementationSpecific') return; // the API server refuses it
      const path = str(p.path) ?? '';
      if (path !== '' && !path.startsWith('/')) return; // refused by the API server
      const entry: IngressPath = { path: path === '' ? '/' : path, pathType: type === 'Exact' ? 'Exact' : 'Prefix', at: pat };
      const b = readServiceBackend(p.backend, [...pat, 'backend'], true);
      if (b) entry.backend = b;
      else if (!(isRecord(p.backend) && isRecord(p.backend.resource))) return; // invalid: refused by the API server
      rule.paths.push(entry);
    });
    ing.rules.push(rule);
  });
  ing.tls = readTls(spec);
  const db = spec.defaultBackend ?? spec.backend;
  if (db !== undefined) {
    const b = readServiceBackend(db, ['spec', spec.defaultBackend !== undefined ? 'defaultBackend' : 'backend'], true);
    if (b) ing.defaultBackend = b;
  }
  return ing;
}

/**
 * The annotation parsers of the modelled keys. `reject` records a validation error, which makes
 * the controller refuse the whole Ingress (annotations.go Extract).
 */
function parseAnnotations(raw: Record<string, string>, reject: (key: string, why: string) => void): Annotations {
  // parser.GetStringAnnotation: lines trimmed; an empty value is "not set".
  const get = (k: string): string | undefined => {
    const v = raw[PREFIX + k];
    if (v === undefined) return undefined;
    const t = v
      .split('\n')
      .map((l) => l.trim())
      .join('\n')
      .trim();
    return t === '' ? undefined : t;
  };
  const bool = (k: string, dflt: boolean, rejectBad = false): boolean => {
    const v = get(k);
    if (v === undefined) return dflt;
    const b = goBool(v);
    if (b === undefined) {
      if (rejectBad) reject(k, `"${v}" is not a boolean`);
      return dflt;
    }
    return b;
  };
  const int = (k: string): number | undefined => {
    const v = get(k);
    return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
  };
  const a: Annotations = {
    sslRedirect: bool('ssl-redirect', true),
    forceSslRedirect: bool('force-ssl-redirect', false),
    preserveTrailingSlash: bool('preserve-trailing-slash', false),
    useRegex: bool('use-regex', false),
    rewriteTarget: '',
    xForwardedPrefix: '',
    appRoot: '',
    fromToWww: false,
    upstreamVhost: '',
    aliases: [],
    sslPassthrough: false,
    backendProtocol: 'HTTP',
    customHeaders: '',
    mirrorTarget: '',
    basicAuth: false,
  };
  // rewrite/main.go: an invalid rewrite-target or app-root is dropped (the default is used).
  const rt = get('rewrite-target');
  if (rt !== undefined && REGEX_PATH_WITH_CAPTURE.test(rt)) a.rewriteTarget = rt;
  const ar = get('app-root');
  if (ar !== undefined && REGEX_PATH_WITH_CAPTURE.test(ar) && ar.startsWith('/') && !/^[a-z]+:/i.test(ar)) a.appRoot = ar;
  const xfp = get('x-forwarded-prefix');
  if (xfp !== undefined) {
    if (REGEX_PATH_WITH_CAPTURE.test(xfp)) a.xForwardedPrefix = xfp;
    else reject('x-forwarded-prefix', `"${xfp}" has characters the validator refuses`);
  }
  const vhost = get('upstream-vhost');
  if (vhost !== undefined) {
    if (SERVER_NAME.test(vhost)) a.upstreamVhost = vhost;
    else reject('upstream-vhost', `"${vhost}" is not a server name`);
  }
  // redirect/redirect.go Parse: a value failing its validator refuses the Ingress; a
  // temporal-redirect that is not an http(s) URL drops the whole redirect configuration,
  // from-to-www-redirect included.
  const fromToWww = bool('from-to-www-redirect', false, true);
  const tr = get('temporal-redirect');
  const pr = get('permanent-redirect');
  let dropped = false;
  if (tr !== undefined) {
    if (!URL_IS_VALID.test(tr)) reject('temporal-redirect', `"${tr}" has characters the validator refuses`);
    else if (!/^http/.test(/^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(tr)?.[1] ?? '')) dropped = true;
    else {
      let code = int('temporal-redirect-code') ?? 302;
      if (code < 300 || code > 307) code = 302;
      a.redirect = { url: tr, code, key: 'temporal-redirect' };
    }
  } else if (pr !== undefined) {
    if (!URL_IS_VALID.test(pr)) reject('permanent-redirect', `"${pr}" has characters the validator refuses`);
    else {
      let code = int('permanent-redirect-code') ?? 301;
      if (code < 300 || code > 308) code = 301;
      a.redirect = { url: pr, code, key: 'permanent-redirect' };
    }
  }
  if (!dropped) a.fromToWww = fromToWww;
  // alias/main.go: comma list, trimmed, de-duplicated, sorted; ValidateArrayOfServerName.
  const aliases = raw[PREFIX + 'server-alias'];
  if (aliases !== undefined && aliases.trim() !== '') {
    const names = aliases.split(',').map((x) => x.trim());
    if (names.some((n) => !SERVER_NAME.test(n))) reject('server-alias', 'a name has characters the validator refuses');
    else a.aliases = [...new Set(names.filter(Boolean))].sort();
  }
  const pt = raw[PREFIX + 'ssl-passthrough'];
  if (pt !== undefined && pt !== '') {
    const b = goBool(pt);
    if (b === undefined) reject('ssl-passthrough', `"${pt}" is not a boolean`);
    else a.sslPassthrough = b;
  }
  const proto = get('backend-protocol');
  if (proto !== undefined && /^(HTTP|HTTPS|GRPC|GRPCS|AUTO_HTTP|FCGI)$/i.test(proto)) a.backendProtocol = proto.toUpperCase();
  a.customHeaders = get('custom-headers') ?? '';
  a.mirrorTarget = get('mirror-target') ?? '';
  // auth/main.go: a valid auth-type and a Secret secure the location (the Secret is assumed to exist).
  a.basicAuth = /basic|digest/.test(get('auth-type') ?? '') && get('auth-secret') !== undefined;
  // canary/main.go: the other keys only count with canary "true".
  if (bool('canary', false)) {
    const c: Canary = { weight: int('canary-weight') ?? 0, weightTotal: int('canary-weight-total') ?? 100 };
    const header = get('canary-by-header');
    if (header !== undefined && BASIC_CHARS.test(header)) c.header = header;
    const value = get('canary-by-header-value');
    if (value !== undefined && BASIC_CHARS.test(value)) c.headerValue = value;
    const pattern = raw[PREFIX + 'canary-by-header-pattern'];
    if (pattern !== undefined && pattern !== '') c.headerPattern = pattern;
    const cookie = get('canary-by-cookie');
    if (cookie !== undefined && BASIC_CHARS.test(cookie)) c.cookie = cookie;
    a.canary = c;
  }
  return a;
}
