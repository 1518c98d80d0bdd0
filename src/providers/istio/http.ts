/**
 * VirtualService http routes -> Gateway API HTTPRoute rules (istio/api virtual_service.proto
 * HTTPRoute, HTTPMatchRequest, HTTPRouteDestination, HTTPRewrite, HTTPRedirect, HTTPRetry,
 * CorsPolicy, Headers). A route is read once into an IstioHttpRoute; the rules are written per
 * route object (`materialize`), since backendRef namespaces depend on where the route lives.
 */
import type { FieldPath } from '../../inputs/document.js';
import type { BackendRef, HeaderMatch, Provenance, RouteFilter, RouteMatch, RuleIntent } from '../../ir/types.js';
import { DNS_SUBDOMAIN, HTTP_HEADER_NAME } from '../../ir/k8s-names.js';
import { invalidGatewayPath, fieldText } from '../common/translate.js';
import type { ResourceContext } from '../types.js';
import { resolveDestination, type DestinationEnv } from './destinations.js';
import { isRecord, type ObjReader } from './read.js';
import { formatDuration, parseDuration } from './durations.js';
import { fieldRuleId } from './rules.js';

export interface IstioMatch {
  gw: RouteMatch;
  /** match.port */
  port?: number;
  /** match.gateways, as gateway keys or 'mesh' */
  gateways?: string[];
  at: FieldPath;
  /**
   * Istio's catch-all (route.IsCatchAllRoute: no match block, or a uri prefix `/` or regex `.*`
   * with no other condition): BuildHTTPRoutesForVirtualService builds no route after it.
   */
  catchAll?: boolean;
  /** An earlier match block takes every request of this one (Istio never used it): left out. */
  shadowedBy?: FieldPath;
}

interface Mirror {
  backend: BackendRef;
  percent?: number;
  fraction?: { numerator: number; denominator: number };
}

interface HeaderOps {
  set: { name: string; value: string }[];
  add: { name: string; value: string }[];
  remove: string[];
}

export interface IstioHttpRoute {
  index: number;
  at: FieldPath;
  name?: string;
  /** Matches kept (those for other clients left out); a route without match blocks has one match-all. */
  matches: IstioMatch[];
  /** The route had match blocks and every one was left out: it applies to no request here. */
  empty: boolean;
  backends: { ref: BackendRef; weight?: number; request?: HeaderOps; response?: HeaderOps }[];
  /** No backend on purpose (directResponse, delegate): matching requests get 500, as the rule is kept. */
  noBackend: boolean;
  redirect?: { filter: Record<string, unknown>; prefixRewrite?: string; fullPath?: string };
  rewrite?: { uri?: string; hostname?: string };
  request?: HeaderOps;
  response?: HeaderOps;
  cors?: Record<string, unknown>;
  mirrors: Mirror[];
  timeouts?: { request?: string; backendRequest?: string };
  retry?: { attempts?: number; codes?: number[]; backoff?: string };
  provenance: Provenance;
}

export interface HttpEnv extends DestinationEnv {
  ctx: ResourceContext;
  /** Resolves a gateway name of a VirtualService (name, namespace/name, mesh) to a key. */
  gatewayRef(name: string): string;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const CORS_ORIGIN = /^(\*|https?:\/\/((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:[0-9]{1,5})?)$/;
const CORS_METHODS = new Set([...METHODS, '*']);
/** Headers Envoy (and Istio's validation) do not let a route modify. */
const INTERNAL_HEADER = (name: string) => name.startsWith(':') || name.toLowerCase() === 'host';

export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

type StringMatch = { kind: 'exact' | 'prefix' | 'regex'; value: string } | { kind: 'any' };

/** Reads an Istio StringMatch (exact, prefix or regex; an empty map matches anything present). */
function stringMatch(r: ObjReader, at: FieldPath): StringMatch | undefined {
  const m = r.map(at);
  if (!m) return undefined;
  r.consume(at);
  const kinds = (['exact', 'prefix', 'regex'] as const).filter((k) => m[k] !== undefined && m[k] !== null);
  if (kinds.length === 0) return { kind: 'any' };
  if (kinds.length > 1) {
    r.report(at, 'istio/invalid-field', 'warning', `${fieldText(at)} sets ${kinds.join(' and ')}; Istio takes only one (a StringMatch is a oneof), and ${kinds[0]} was used`, 'Keep one of exact, prefix or regex.');
  }
  const kind = kinds[0]!;
  const v = m[kind];
  if (typeof v !== 'string') {
    r.report([...at, kind], 'istio/invalid-field', 'warning', `${fieldText([...at, kind])} is not a string; the condition was left out`);
    return undefined;
  }
  return { kind, value: v };
}

/** An Istio StringMatch as a Gateway API header or query match; undefined when it cannot be. */
function valueMatch(name: string, m: StringMatch): HeaderMatch {
  if (m.kind === 'any') return { name, type: 'RegularExpression', value: '.*' };
  if (m.kind === 'exact') return m.value === '' ? { name, type: 'RegularExpression', value: '^$' } : { name, type: 'Exact', value: m.value };
  if (m.kind === 'prefix') return { name, type: 'RegularExpression', value: `^${escapeRegex(m.value)}.*` };
  return { name, type: 'RegularExpression', value: m.value };
}

function headerOps(r: ObjReader, at: FieldPath, where: string): HeaderOps | undefined {
  const m = r.map(at);
  if (!m) return undefined;
  r.consume(at);
  const ops: HeaderOps = { set: [], add: [], remove: [] };
  for (const op of ['set', 'add'] as const) {
    const entries = r.stringMap([...at, op]) ?? {};
    for (const [name, value] of Object.entries(entries)) {
      const p = [...at, op, name];
      if (!HTTP_HEADER_NAME.test(name) || INTERNAL_HEADER(name)) {
        r.report(p, 'istio/invalid-header', 'warning', `header ${name} cannot be modified by a Gateway API filter (${INTERNAL_HEADER(name) ? 'Istio refuses it too' : 'not an HTTP header name'}); it was left out ${where}`);
        continue;
      }
      if (value.includes('%')) {
        r.report(p, 'istio/header-value-format', 'info', `header ${name} value "${value}" may use Envoy %VARIABLE% formatting, which Istio expanded; Gateway API filters set the text as it is`, 'Check the value your implementation sends.');
      }
      if (ops[op].some((h) => h.name.toLowerCase() === name.toLowerCase())) continue;
      ops[op].push({ name, value });
    }
  }
  for (const name of r.strings([...at, 'remove'])) {
    if (HTTP_HEADER_NAME.test(name) && !ops.remove.includes(name)) ops.remove.push(name);
  }
  for (const op of ['set', 'add', 'remove'] as const) {
    if (ops[op].length > 16) {
      r.report([...at, op], 'istio/too-many-headers', 'warning', `${where}: ${ops[op].length} headers to ${op}; Gateway API takes 16, the others were left out`);
      ops[op] = ops[op].slice(0, 16) as never;
    }
  }
  return ops;
}

function headerFilter(type: 'RequestHeaderModifier' | 'ResponseHeaderModifier', ops: HeaderOps | undefined): RouteFilter | undefined {
  if (!ops || ops.set.length + ops.add.length + ops.remove.length === 0) return undefined;
  const body: Record<string, unknown> = {};
  if (ops.set.length) body.set = ops.set.map((h) => ({ ...h }));
  if (ops.add.length) body.add = ops.add.map((h) => ({ ...h }));
  if (ops.remove.length) body.remove = [...ops.remove];
  return type === 'RequestHeaderModifier' ? { type, requestHeaderModifier: body } : { type, responseHeaderModifier: body };
}

/** Merges destination header operations into the route's; undefined when a header is in both. */
function mergeOps(a: HeaderOps | undefined, b: HeaderOps | undefined): HeaderOps | undefined | 'conflict' {
  if (!a) return b;
  if (!b) return a;
  const names = (o: HeaderOps) => [...o.set.map((h) => h.name), ...o.add.map((h) => h.name), ...o.remove].map((n) => n.toLowerCase());
  const an = new Set(names(a));
  if (names(b).some((n) => an.has(n))) return 'conflict';
  return { set: [...a.set, ...b.set], add: [...a.add, ...b.add], remove: [...a.remove, ...b.remove] };
}

/** A percentage (0-100, double) as a mirror percent or fraction. */
function mirrorShare(v: number): { percent?: number; fraction?: { numerator: number; denominator: number } } {
  const c = Math.min(100, Math.max(0, v));
  if (Number.isInteger(c)) return { percent: c };
  let d = 0;
  while (d < 6 && !Number.isInteger(Number((c * 10 ** d).toFixed(6)))) d++;
  return { fraction: { numerator: Math.round(c * 10 ** d), denominator: 100 * 10 ** d } };
}

/** Methods a prefix or regex method match matches, among those Gateway API knows. */
function methodsOf(m: StringMatch): string[] {
  if (m.kind === 'any') return [];
  if (m.kind === 'exact') return [m.value];
  if (m.kind === 'prefix') return METHODS.filter((x) => x.startsWith(m.value));
  try {
    const re = new RegExp(`^(?:${m.value})$`, 'u');
    return METHODS.filter((x) => re.test(x));
  } catch {
    return [];
  }
}

/**
 * Reads the match blocks of http[i] into Gateway API matches. Blocks limited to some clients
 * (sourceLabels, sourceNamespace) are left out, as the table says.
 */
function readMatches(r: ObjReader, env: HttpEnv, at: FieldPath): { matches: IstioMatch[]; hadBlocks: boolean } {
  const blocks = r.list([...at, 'match']);
  if (blocks.length === 0) return { matches: [{ gw: { path: { type: 'PathPrefix', value: '/' } }, at, catchAll: true }], hadBlocks: false };
  const out: IstioMatch[] = [];
  blocks.forEach((_, j) => {
    const mat = [...at, 'match', j];
    if (!isRecord(r.get(mat))) {
      r.report(mat, 'istio/invalid-field', 'warning', `${fieldText(mat)} is not a map; it was left out`);
      return;
    }
    if (r.has([...mat, 'sourceLabels']) || r.has([...mat, 'sourceNamespace'])) {
      // Left out (reported from the table): its other conditions are moot.
      for (const k of Object.keys(r.map(mat) ?? {})) if (k !== 'sourceLabels' && k !== 'sourceNamespace') r.consume([...mat, k]);
      return;
    }
    const gw: RouteMatch = {};
    const uri = stringMatch(r, [...mat, 'uri']);
    if (uri && uri.kind !== 'any') {
      if (uri.kind === 'regex') {
        gw.path = { type: 'RegularExpression', value: uri.value };
        r.report([...mat, 'uri'], fieldRuleId('VirtualService.http.match.uri'), 'info', `path regex "${uri.value}" became a RegularExpression path match; their syntax and their precedence against other matches are implementation-specific (Istio: RE2 on the whole path, ranked after every PathPrefix)`);
      } else if (uri.kind === 'prefix' && (uri.value === '' || uri.value === '/')) {
        gw.path = { type: 'PathPrefix', value: '/' };
      } else {
        const bad = uri.value.startsWith('/') ? invalidGatewayPath(uri.value) : 'it does not start with /';
        if (bad) {
          r.report([...mat, 'uri'], fieldRuleId('VirtualService.http.match.uri'), 'warning', `path ${uri.kind} "${uri.value}" cannot be a Gateway API path match (${bad}); the match block was left out`, 'Write the path in a form Gateway API accepts, or use a regex match.');
          return;
        }
        gw.path = { type: uri.kind === 'exact' ? 'Exact' : 'PathPrefix', value: uri.value };
        if (uri.kind === 'prefix') {
          const v = uri.value;
          if (v.endsWith('/')) {
            r.report([...mat, 'uri'], fieldRuleId('VirtualService.http.match.uri'), 'info', `prefix "${v}" matched paths starting with that string; PathPrefix ${v} ignores the trailing slash, so it also matches ${v.slice(0, -1)} itself`, `Add an Exact match for ${v.slice(0, -1)} in a rule before it if that path must go elsewhere.`);
          } else {
            r.report([...mat, 'uri'], fieldRuleId('VirtualService.http.match.uri'), 'warning', `prefix "${v}" matched every path starting with that string (such as ${v}-x or ${v}.json); PathPrefix ${v} matches whole path segments (${v} and ${v}/...), so those other paths no longer match this rule`, `If they must, add a RegularExpression path match ${escapeRegex(v)}.* (implementation-specific).`);
          }
        }
      }
    }
    const method = stringMatch(r, [...mat, 'method']);
    let methods: (string | undefined)[] = [undefined];
    if (method && method.kind !== 'any') {
      const ms = methodsOf(method).map((x) => x.toUpperCase());
      const known = ms.filter((x) => METHODS.includes(x));
      if (known.length === 0) {
        r.report([...mat, 'method'], fieldRuleId('VirtualService.http.match.method'), 'warning', `method ${method.kind} "${method.value}" matches none of the methods Gateway API knows (${METHODS.join(', ')}); the match block was left out`);
        return;
      }
      if (method.kind !== 'exact') {
        r.report([...mat, 'method'], fieldRuleId('VirtualService.http.match.method'), 'info', `method ${method.kind} "${method.value}" became one match per method: ${known.join(', ')}`);
      }
      methods = known;
    }
    const headers: HeaderMatch[] = [];
    const hm = r.map([...mat, 'headers']);
    if (hm) {
      r.consume([...mat, 'headers']);
      for (const name of Object.keys(hm)) {
        const hp = [...mat, 'headers', name];
        if (['uri', 'scheme', 'method', 'authority'].includes(name)) {
          r.report(hp, fieldRuleId('VirtualService.http.match.headers'), 'info', `header match "${name}" is ignored by Istio (it names a request property, not a header)`);
          continue;
        }
        if (!HTTP_HEADER_NAME.test(name)) {
          r.report(hp, fieldRuleId('VirtualService.http.match.headers'), 'warning', `"${name}" is not an HTTP header name Gateway API can match; the condition was left out, so the match takes more requests`, 'Match a regular header instead.');
          continue;
        }
        const sm = stringMatch(r, hp);
        if (!sm) continue;
        const h = valueMatch(name, sm);
        if (sm.kind !== 'exact' || h.type !== 'Exact') {
          r.report(hp, fieldRuleId('VirtualService.http.match.headers'), 'info', `header ${name} ${sm.kind === 'any' ? 'presence' : `${sm.kind} "${sm.value}"`} became the RegularExpression ${h.value}; regular expression matches are implementation-specific (Istio: RE2, whole value)`);
        }
        headers.push(h);
      }
    }
    const query: HeaderMatch[] = [];
    const qm = r.map([...mat, 'queryParams']);
    if (qm) {
      r.consume([...mat, 'queryParams']);
      for (const name of Object.keys(qm)) {
        const qp = [...mat, 'queryParams', name];
        if (!HTTP_HEADER_NAME.test(name)) {
          r.report(qp, fieldRuleId('VirtualService.http.match.queryParams'), 'warning', `"${name}" is not a query parameter name Gateway API can match; the condition was left out`);
          continue;
        }
        const sm = stringMatch(r, qp);
        if (!sm) continue;
        const q = valueMatch(name, sm);
        if (sm.kind !== 'exact' || q.type !== 'Exact') {
          r.report(qp, fieldRuleId('VirtualService.http.match.queryParams'), 'info', `query parameter ${name} ${sm.kind === 'any' ? 'presence' : `${sm.kind} "${sm.value}"`} became the RegularExpression ${q.value}; regular expression matches are implementation-specific`);
        }
        query.push(q);
      }
    }
    if (headers.length > 16 || query.length > 16) {
      r.note(mat, 'istio/too-many-conditions', 'warning', `the match has more than 16 header or query conditions, which Gateway API does not take; the extra ones were left out`);
    }
    if (headers.length) gw.headers = headers.slice(0, 16);
    if (query.length) gw.queryParams = query.slice(0, 16);
    const port = r.int([...mat, 'port']);
    const gwNames = r.strings([...mat, 'gateways']);
    for (const m of methods) {
      const one: RouteMatch = { ...gw };
      if (!one.path) one.path = { type: 'PathPrefix', value: '/' };
      if (m) one.method = m;
      const im: IstioMatch = { gw: one, at: mat };
      if (isCatchAllBlock(r.get(mat))) im.catchAll = true;
      if (port !== undefined) im.port = port;
      if (gwNames.length) im.gateways = gwNames.map((g) => env.gatewayRef(g));
      out.push(im);
    }
  });
  return { matches: out, hadBlocks: true };
}

const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Whether StringMatch `outer` takes every value StringMatch `inner` takes (presence takes all). */
function stringCovers(outer: unknown, inner: unknown): boolean {
  const o = isRecord(outer) ? outer : {};
  if ((o.exact === undefined && o.prefix === undefined && o.regex === undefined) || o.regex === '*') return true;
  if (deepEqual(outer, inner)) return true;
  const i = isRecord(inner) ? inner : {};
  if (typeof o.prefix === 'string') return (typeof i.exact === 'string' && i.exact.startsWith(o.prefix)) || (typeof i.prefix === 'string' && i.prefix.startsWith(o.prefix));
  return false;
}

/**
 * Whether Istio match block `outer` takes every request of `inner` (both as written): the uri as
 * Istio matches it (a string prefix), every condition of outer present in inner, the same or no
 * port and gateways. Conservative: false when unsure.
 */
export function blockCovers(outer: unknown, inner: unknown): boolean {
  if (!isRecord(inner)) return false;
  if (!isRecord(outer)) return outer === undefined; // no match block: every request
  if (outer.sourceLabels !== undefined || outer.sourceNamespace !== undefined || inner.sourceLabels !== undefined || inner.sourceNamespace !== undefined) return false;
  const ou = isRecord(outer.uri) ? outer.uri : undefined;
  const iu = isRecord(inner.uri) ? inner.uri : undefined;
  const allPaths = !ou || ou.prefix === '/' || ou.regex === '.*' || (ou.exact === undefined && ou.prefix === undefined && ou.regex === undefined);
  if (!allPaths) {
    if (!iu) return false;
    if ((inner.ignoreUriCase === true) !== (outer.ignoreUriCase === true)) return false;
    if (!stringCovers(ou, iu)) return false;
  }
  for (const k of ['headers', 'queryParams']) {
    const om = isRecord(outer[k]) ? outer[k] : {};
    const im = isRecord(inner[k]) ? inner[k] : {};
    for (const [name, sm] of Object.entries(om)) if (!(name in im) || !stringCovers(sm, im[name])) return false;
  }
  for (const k of ['method', 'authority', 'scheme']) if (outer[k] !== undefined && !stringCovers(outer[k], inner[k] ?? '\u0000')) return false;
  if (isRecord(outer.withoutHeaders) && Object.keys(outer.withoutHeaders).length > 0 && !deepEqual(outer.withoutHeaders, inner.withoutHeaders)) return false;
  if (outer.port !== undefined && outer.port !== inner.port) return false;
  if (Array.isArray(outer.gateways) && outer.gateways.length > 0) {
    const ig = Array.isArray(inner.gateways) ? inner.gateways : [];
    if (ig.length === 0 || !ig.every((g) => (outer.gateways as unknown[]).includes(g))) return false;
  }
  return true;
}

/** route.IsCatchAllRoute on a match block: the whole path (prefix `/`, regex `.*`, or no uri) and no other condition. */
function isCatchAllBlock(block: unknown): boolean {
  if (!isRecord(block)) return false;
  const u = isRecord(block.uri) ? block.uri : undefined;
  const path = !u || (u.exact === undefined && u.prefix === undefined && u.regex === undefined) || u.prefix === '/' || u.regex === '.*';
  const none = (v: unknown) => v === undefined || v === null || (isRecord(v) && Object.keys(v).length === 0);
  return path && ['headers', 'withoutHeaders', 'queryParams', 'method', 'authority', 'scheme'].every((k) => none(block[k]));
}

function readCors(r: ObjReader, at: FieldPath): Record<string, unknown> | undefined {
  if (!r.map(at)) return undefined;
  const cors: Record<string, unknown> = {};
  const origins: string[] = [];
  const addOrigin = (o: string) => {
    if (!origins.includes(o)) origins.push(o);
  };
  r.list([...at, 'allowOrigins']).forEach((_, i) => {
    const p = [...at, 'allowOrigins', i];
    const sm = stringMatch(r, p);
    if (!sm || sm.kind === 'any') return;
    if (sm.kind === 'exact' && CORS_ORIGIN.test(sm.value)) return addOrigin(sm.value);
    const wildcard = originWildcard(sm);
    if (wildcard) {
      wildcard.forEach(addOrigin);
      r.report(p, fieldRuleId('VirtualService.http.corsPolicy.allowOrigins'), 'info', `origin ${sm.kind} "${sm.value}" became ${wildcard.join(' and ')}`);
      return;
    }
    r.report(p, fieldRuleId('VirtualService.http.corsPolicy.allowOrigins'), 'warning', `origin ${sm.kind} "${sm.value}" cannot be a Gateway API CORS origin (scheme://host[:port], a leading *. wildcard, or *); it was left out, so those origins are no longer allowed`, 'List the allowed origins exactly, or use a leading-label wildcard such as https://*.example.com.');
  });
  if (r.has([...at, 'allowOrigins'])) r.consume([...at, 'allowOrigins']);
  for (const o of r.strings([...at, 'allowOrigin'])) {
    if (CORS_ORIGIN.test(o)) addOrigin(o);
    else r.report([...at, 'allowOrigin'], fieldRuleId('VirtualService.http.corsPolicy.allowOrigin'), 'warning', `origin "${o}" cannot be a Gateway API CORS origin; it was left out`);
  }
  if (origins.length) cors.allowOrigins = origins.slice(0, 64);
  const methods = r.strings([...at, 'allowMethods']).map((m) => m.toUpperCase());
  const okMethods = [...new Set(methods.filter((m) => CORS_METHODS.has(m)))];
  if (okMethods.length < new Set(methods).size) {
    r.report([...at, 'allowMethods'], fieldRuleId('VirtualService.http.corsPolicy.allowMethods'), 'warning', `the methods ${methods.filter((m) => !CORS_METHODS.has(m)).join(', ')} are not ones Gateway API CORS knows; they were left out`);
  }
  if (okMethods.length) cors.allowMethods = okMethods;
  for (const f of ['allowHeaders', 'exposeHeaders'] as const) {
    const hs = [...new Set(r.strings([...at, f]))];
    const ok = hs.filter((h) => HTTP_HEADER_NAME.test(h));
    if (ok.length < hs.length) r.report([...at, f], fieldRuleId(`VirtualService.http.corsPolicy.${f}`), 'warning', `${hs.filter((h) => !HTTP_HEADER_NAME.test(h)).join(', ')} are not header names; they were left out`);
    if (ok.length) cors[f] = ok.slice(0, 64);
  }
  const maxAge = r.str([...at, 'maxAge']);
  if (maxAge !== undefined) {
    const ms = parseDuration(maxAge);
    if (ms === undefined) r.report([...at, 'maxAge'], 'istio/invalid-field', 'warning', `maxAge "${maxAge}" is not a duration; it was left out`);
    else if (ms >= 1000) cors.maxAge = Math.floor(ms / 1000);
    else r.report([...at, 'maxAge'], fieldRuleId('VirtualService.http.corsPolicy.maxAge'), 'info', `maxAge ${maxAge} is under a second; Gateway API counts whole seconds (at least 1), so it was left out (the default, 5 seconds, applies)`);
  }
  const credentials = r.bool([...at, 'allowCredentials']);
  if (credentials !== undefined) cors.allowCredentials = credentials;
  const unmatched = r.str([...at, 'unmatchedPreflights']);
  if (unmatched !== undefined && unmatched !== 'IGNORE') {
    r.report([...at, 'unmatchedPreflights'], fieldRuleId('VirtualService.http.corsPolicy.unmatchedPreflights'), 'info', `unmatchedPreflights ${unmatched}: Istio forwarded preflight requests from origins it did not allow to the backend; Gateway API CORS answers them at the gateway`);
  }
  r.consume(at);
  return cors;
}

/** An origin prefix or regex that is a Gateway API wildcard origin, else undefined. */
function originWildcard(sm: StringMatch): string[] | undefined {
  if (sm.kind === 'any') return undefined;
  if (sm.kind === 'prefix') {
    if (sm.value === 'https://' || sm.value === 'http://') return [`${sm.value}*`];
    return undefined;
  }
  if (sm.kind !== 'regex') return undefined;
  const v = sm.value.replace(/^\^/, '').replace(/\$$/, '');
  if (v === '.*' || v === '.+') return ['*'];
  const m = /^(https\?|https|http)(?::|\\:)\\?\/\\?\/(?:\.\*|\.\+|\[\^\.\]\+|\[\^\/\]\+|\[a-z0-9-\]\+)\\\.((?:[a-z0-9-]+\\\.)*[a-z0-9-]+)$/.exec(v);
  if (!m) return undefined;
  const domain = m[2]!.replace(/\\\./g, '.');
  const schemes = m[1] === 'https?' ? ['http', 'https'] : [m[1]!];
  return schemes.map((s) => `${s}://*.${domain}`);
}

/** retryOn -> status codes, and what could not be translated. */
function retryCodes(retryOn: string): { codes: number[]; left: string[] } {
  const codes = new Set<number>();
  const left: string[] = [];
  for (const raw of retryOn.split(',')) {
    const c = raw.trim();
    if (c === '') continue;
    if (/^\d{3}$/.test(c) && +c >= 400 && +c <= 599) codes.add(+c);
    else if (c === '5xx') for (let x = 500; x <= 511; x++) codes.add(x);
    else if (c === 'gateway-error') [502, 503, 504].forEach((x) => codes.add(x));
    else if (c === 'retriable-4xx') codes.add(409);
    else if (['connect-failure', 'refused-stream', 'reset', 'reset-before-request', 'envoy-ratelimited', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure'].includes(c)) {
      if (!['connect-failure', 'refused-stream', 'reset', 'reset-before-request'].includes(c)) left.push(c);
    } else left.push(c);
  }
  return { codes: [...codes].sort((a, b) => a - b), left };
}

export function readHttpRoute(r: ObjReader, env: HttpEnv, i: number): IstioHttpRoute | undefined {
  const at: FieldPath = ['spec', 'http', i];
  if (!isRecord(r.get(at))) {
    r.report(at, 'istio/invalid-field', 'warning', `${fieldText(at)} is not a map; it was left out`);
    return undefined;
  }
  const { matches, hadBlocks } = readMatches(r, env, at);
  const route: IstioHttpRoute = { index: i, at, matches, empty: hadBlocks && matches.length === 0, backends: [], noBackend: false, mirrors: [], provenance: r.provenance(at) };
  const name = r.str([...at, 'name']);
  if (name !== undefined) {
    if (DNS_SUBDOMAIN.test(name) && name.length <= 253) route.name = name;
    else r.report([...at, 'name'], fieldRuleId('VirtualService.http.name'), 'info', `route name "${name}" is not a valid Gateway API rule name (a DNS subdomain); it was left out`);
  }
  const hasRoute = r.list([...at, 'route']).length > 0;
  const hasRedirect = r.has([...at, 'redirect']);
  const hasDirect = r.has([...at, 'directResponse']);
  const hasDelegate = r.has([...at, 'delegate']);
  const invalid = (what: string) =>
    r.note(at, 'istio/invalid-http-route', 'error', `http[${i}] has ${what}, which Istio's validation refuses (the VirtualService was never applied as written); ${hasRedirect ? 'the redirect was translated' : 'the route was translated'} and the rest reported`, 'Fix the VirtualService: a route forwards, redirects, answers directly or delegates, one at a time.');
  if (hasRedirect && (hasRoute || hasDirect || r.has([...at, 'rewrite']) || r.has([...at, 'fault']))) invalid(`a redirect together with ${[hasRoute && 'route', hasDirect && 'directResponse', r.has([...at, 'rewrite']) && 'rewrite', r.has([...at, 'fault']) && 'fault'].filter(Boolean).join(', ')}`);
  else if (hasDirect && hasRoute) invalid('both directResponse and route');

  // Destinations (none with a redirect: Istio refused the route, as reported).
  if (hasRedirect && hasRoute) r.consume([...at, 'route']);
  if (!hasRedirect) {
    r.list([...at, 'route']).forEach((_, k) => {
      const dp = [...at, 'route', k];
      const ref = resolveDestination(r, [...dp, 'destination'], env, { entry: fieldRuleId('VirtualService.http.route.destination.subset'), what: 'route destination' });
      const weight = r.int([...dp, 'weight']);
      const request = headerOps(r, [...dp, 'headers', 'request'], `for destination ${k}`);
      const response = headerOps(r, [...dp, 'headers', 'response'], `for destination ${k}`);
      if (r.has([...dp, 'headers'])) r.consume([...dp, 'headers']);
      if (!ref) return;
      const b: IstioHttpRoute['backends'][number] = { ref };
      if (weight !== undefined) b.weight = weight;
      if (request) b.request = request;
      if (response) b.response = response;
      route.backends.push(b);
    });
  }
  // Redirect.
  if (hasRedirect) {
    const rd = [...at, 'redirect'];
    const filter: Record<string, unknown> = {};
    const scheme = r.str([...rd, 'scheme']);
    if (scheme !== undefined) {
      if (scheme === 'http' || scheme === 'https') filter.scheme = scheme;
      else r.report([...rd, 'scheme'], fieldRuleId('VirtualService.http.redirect.scheme'), 'warning', `redirect scheme "${scheme}" is not http or https, the only ones Gateway API redirects to; the scheme is kept`);
    }
    const authority = r.str([...rd, 'authority']);
    let port = r.int([...rd, 'port']);
    if (authority !== undefined) {
      const m = /^(.*?)(?::(\d+))?$/.exec(authority)!;
      const host = m[1]!.toLowerCase();
      if (DNS_SUBDOMAIN.test(host)) filter.hostname = host;
      else r.report([...rd, 'authority'], fieldRuleId('VirtualService.http.redirect.authority'), 'warning', `redirect authority "${authority}" is not a DNS name; the host is kept`);
      if (m[2] !== undefined && port === undefined) port = +m[2];
    }
    const derive = r.str([...rd, 'derivePort']);
    if (derive === 'FROM_REQUEST_PORT' && filter.scheme !== undefined) {
      r.report([...rd, 'derivePort'], fieldRuleId('VirtualService.http.redirect.derivePort'), 'info', 'derivePort FROM_REQUEST_PORT kept the request port; with a scheme, Gateway API redirects to the scheme’s well-known port');
    } else if (derive === 'FROM_PROTOCOL_DEFAULT' && filter.scheme === undefined) {
      r.report([...rd, 'derivePort'], fieldRuleId('VirtualService.http.redirect.derivePort'), 'info', 'derivePort FROM_PROTOCOL_DEFAULT used 80 or 443; without a scheme, Gateway API redirects to the listener port, the same unless the listener uses another port');
    }
    if (port !== undefined) filter.port = port;
    const uri = r.str([...rd, 'uri']);
    const prefixRewrite = r.str([...rd, 'prefixRewrite']);
    const code = r.int([...rd, 'redirectCode']);
    if (code === undefined || REDIRECT_CODES.has(code)) filter.statusCode = code ?? 301;
    else {
      filter.statusCode = 301;
      r.report([...rd, 'redirectCode'], fieldRuleId('VirtualService.http.redirect.redirectCode'), 'warning', `redirect code ${code} is not one Gateway API sends (301, 302, 303, 307, 308); 301 is used`);
    }
    route.redirect = { filter };
    if (uri !== undefined && prefixRewrite !== undefined) {
      r.report([...rd, 'prefixRewrite'], fieldRuleId('VirtualService.http.redirect.prefixRewrite'), 'warning', 'redirect sets both uri and prefixRewrite, which Istio refuses; the uri (the whole path) was translated');
    }
    if (uri !== undefined) route.redirect.fullPath = uri;
    if (prefixRewrite !== undefined) route.redirect.prefixRewrite = prefixRewrite;
    r.consume(rd);
  } else if (hasDirect) {
    route.noBackend = true;
    r.report([...at, 'directResponse'], fieldRuleId('VirtualService.http.directResponse'), 'warning', `http[${i}] answered with a fixed response; Gateway API has none, so the rule keeps its matches without a backend and those requests get 500`, 'Serve the response from a small backend Service, or use an implementation filter (ExtensionRef).');
  } else if (hasDelegate) {
    route.noBackend = true;
    const d = r.map([...at, 'delegate']) ?? {};
    r.report(
      [...at, 'delegate'],
      fieldRuleId('VirtualService.http.delegate'),
      'error',
      `http[${i}] delegated to VirtualService ${typeof d.namespace === 'string' ? d.namespace : r.namespace}/${typeof d.name === 'string' ? d.name : ''}; Gateway API has no route delegation, so the rule keeps its matches without a backend and those requests get 500`,
      'Copy the delegate VirtualService routes into this route under the same match, or give the delegate its own HTTPRoute with the same hostnames and more specific matches.',
    );
  } else if (!hasRoute) {
    route.noBackend = true;
    r.note(at, 'istio/invalid-http-route', 'error', `http[${i}] has no route, redirect or directResponse, which Istio refuses; the rule keeps its matches without a backend`, 'Give the route a destination.');
  }
  // Rewrite.
  const rw = [...at, 'rewrite'];
  if (r.has(rw) && !hasRedirect) {
    const uri = r.str([...rw, 'uri']);
    const authority = r.str([...rw, 'authority']);
    route.rewrite = {};
    if (uri !== undefined && uri !== '') route.rewrite.uri = uri;
    if (authority !== undefined) {
      const host = authority.toLowerCase();
      if (DNS_SUBDOMAIN.test(host)) route.rewrite.hostname = host;
      else r.report([...rw, 'authority'], fieldRuleId('VirtualService.http.rewrite.authority'), 'warning', `authority "${authority}" is not a DNS name Gateway API can rewrite the Host to (a port or an IP is not accepted); it was left out`);
    }
    if (r.has([...rw, 'uriRegexRewrite']) && uri !== undefined) {
      // Istio's validation refuses uri together with uriRegexRewrite.
      r.report([...rw, 'uriRegexRewrite'], fieldRuleId('VirtualService.http.rewrite.uriRegexRewrite'), 'warning', 'uri and uriRegexRewrite are both set, which Istio refuses; the uri rewrite was translated and the regex rewrite left out');
    }
  } else if (r.has(rw)) {
    // With a redirect, Istio refused the VirtualService (reported above).
    r.consume(rw);
  }
  // Timeouts and retries.
  const timeout = r.str([...at, 'timeout']);
  if (timeout !== undefined) {
    const ms = parseDuration(timeout);
    if (ms === undefined) r.report([...at, 'timeout'], 'istio/invalid-field', 'warning', `timeout "${timeout}" is not a duration; it was left out`);
    else route.timeouts = { request: formatDuration(ms) };
  }
  const rt = [...at, 'retries'];
  if (r.has(rt)) {
    const attempts = r.int([...rt, 'attempts']);
    const perTry = r.str([...rt, 'perTryTimeout']);
    const retryOn = r.str([...rt, 'retryOn']);
    const backoff = r.str([...rt, 'backoff']);
    if (perTry !== undefined) {
      const ms = parseDuration(perTry);
      if (ms === undefined) r.report([...rt, 'perTryTimeout'], 'istio/invalid-field', 'warning', `perTryTimeout "${perTry}" is not a duration; it was left out`);
      else {
        const req = route.timeouts?.request !== undefined ? parseDuration(route.timeouts.request) : undefined;
        if (req !== undefined && req !== 0 && ms > req) {
          r.report([...rt, 'perTryTimeout'], fieldRuleId('VirtualService.http.retries.perTryTimeout'), 'info', `perTryTimeout ${perTry} is longer than the route timeout ${timeout}; Gateway API requires backendRequest to be at most request, so it is ${route.timeouts!.request}`);
          route.timeouts = { ...route.timeouts, backendRequest: route.timeouts!.request! };
        } else route.timeouts = { ...(route.timeouts ?? {}), backendRequest: formatDuration(ms) };
      }
    }
    const retry: NonNullable<IstioHttpRoute['retry']> = {};
    if (attempts !== undefined && attempts > 0) retry.attempts = attempts;
    if (retryOn !== undefined) {
      const { codes, left } = retryCodes(retryOn);
      if (codes.length) retry.codes = codes;
      if (left.length) {
        r.report([...rt, 'retryOn'], fieldRuleId('VirtualService.http.retries.retryOn'), 'warning', `retryOn conditions ${left.join(', ')} have no Gateway API equivalent (retry.codes are HTTP statuses; connection failures are retried by every implementation that retries); they were left out`);
      } else if (retryOn.split(',').some((c) => c.trim() === '5xx')) {
        r.report([...rt, 'retryOn'], fieldRuleId('VirtualService.http.retries.retryOn'), 'info', '5xx became the codes 500 to 511 (Gateway API lists codes one by one)');
      }
    }
    if (backoff !== undefined) {
      const ms = parseDuration(backoff);
      if (ms === undefined) r.report([...rt, 'backoff'], 'istio/invalid-field', 'warning', `backoff "${backoff}" is not a duration; it was left out`);
      else retry.backoff = formatDuration(ms);
    }
    if (attempts === 0) {
      r.report([...rt, 'attempts'], fieldRuleId('VirtualService.http.retries.attempts'), 'warning', 'attempts 0 disabled retries; Gateway API has no way to say so (attempts is at least 1), so the route has no retry stanza and the implementation default applies (Istio: 2 retries)');
    } else if (env.ctx.channel !== 'experimental' && (retry.attempts !== undefined || retry.codes !== undefined || retry.backoff !== undefined)) {
      r.report(rt, fieldRuleId('VirtualService.http.retries.attempts'), 'warning', `the retry policy (${[retry.attempts !== undefined && `${retry.attempts} attempts`, retry.codes && `codes ${retry.codes.join(',')}`, retry.backoff && `backoff ${retry.backoff}`].filter(Boolean).join(', ')}) needs HTTPRoute retry, which is in the experimental channel; it was not translated`, 'Convert with --channel experimental, or configure retries with your implementation.');
    } else if (retry.attempts !== undefined || retry.codes !== undefined || retry.backoff !== undefined) {
      route.retry = retry;
    }
    r.consume(rt);
    for (const f of ['retryRemoteLocalities', 'retryIgnorePreviousHosts']) if (r.has([...rt, f])) r.report([...rt, f], fieldRuleId(`VirtualService.http.retries.${f}`), f === 'retryIgnorePreviousHosts' ? 'info' : 'warning', `retries.${f} has no Gateway API equivalent and was not translated`);
  }
  // Mirrors.
  const mp = r.num([...at, 'mirrorPercentage', 'value']);
  if (r.has([...at, 'mirrorPercentage'])) r.consume([...at, 'mirrorPercentage']);
  // mirrorPercent and mirror_percent are two names of one deprecated field.
  const camel = r.int([...at, 'mirrorPercent']);
  const snake = r.int([...at, 'mirror_percent']);
  const legacy = camel ?? snake;
  if (r.has([...at, 'mirror'])) {
    const ref = resolveDestination(r, [...at, 'mirror'], env, { entry: fieldRuleId('VirtualService.http.mirror'), what: 'mirror' });
    r.consume([...at, 'mirror']);
    const pct = mp ?? legacy ?? 100;
    if (ref && pct > 0) route.mirrors.push({ backend: ref, ...mirrorShare(pct) });
  } else {
    for (const f of ['mirrorPercentage', 'mirrorPercent', 'mirror_percent']) if (r.has([...at, f])) r.report([...at, f], fieldRuleId(`VirtualService.http.${f}`), 'info', `${f} has no effect without mirror`);
  }
  r.list([...at, 'mirrors']).forEach((_, k) => {
    const mpath = [...at, 'mirrors', k];
    const ref = resolveDestination(r, [...mpath, 'destination'], env, { entry: fieldRuleId('VirtualService.http.mirrors.destination.subset'), what: 'mirror' });
    const pct = r.num([...mpath, 'percentage', 'value']);
    if (r.has([...mpath, 'percentage'])) r.consume([...mpath, 'percentage']);
    if (ref && (pct ?? 100) > 0) route.mirrors.push({ backend: ref, ...mirrorShare(pct ?? 100) });
  });
  // CORS and headers.
  const cors = readCors(r, [...at, 'corsPolicy']);
  if (cors) route.cors = cors;
  const request = headerOps(r, [...at, 'headers', 'request'], 'for the route');
  const response = headerOps(r, [...at, 'headers', 'response'], 'for the route');
  if (r.has([...at, 'headers'])) r.consume([...at, 'headers']);
  if (request) route.request = request;
  if (response) route.response = response;
  return route;
}

/** The rule name of the n-th rule made from a route (rule names are unique in a route). */
function ruleName(route: IstioHttpRoute, n: number): string | undefined {
  if (!route.name) return undefined;
  return n === 0 ? route.name : `${route.name}-${n + 1}`;
}

/**
 * The Gateway API rules of one Istio route, for a route object in `routeNs`, with these matches
 * (the route's own, filtered for the parent, plus those the ordering added). A path rewrite or
 * redirect of the matched prefix needs a rule per PathPrefix match.
 */
export function materialize(r: ObjReader, route: IstioHttpRoute, matches: readonly RouteMatch[], routeNs: string): RuleIntent[] {
  const filters: RouteFilter[] = [];
  const backends: BackendRef[] = [];
  let request = route.request;
  let response = route.response;
  const single = route.backends.length === 1;
  for (const b of route.backends) {
    const ref: BackendRef = { ...b.ref };
    if (!single) ref.weight = b.weight ?? 0;
    const bf: RouteFilter[] = [];
    if (single) {
      // One destination: its header operations apply to every request of the rule (Core filters).
      const mq = mergeOps(request, b.request);
      const ms = mergeOps(response, b.response);
      if (mq !== 'conflict' && ms !== 'conflict') {
        request = mq;
        response = ms;
      } else {
        const f1 = headerFilter('RequestHeaderModifier', b.request);
        const f2 = headerFilter('ResponseHeaderModifier', b.response);
        if (f1) bf.push(f1);
        if (f2) bf.push(f2);
      }
    } else {
      const f1 = headerFilter('RequestHeaderModifier', b.request);
      const f2 = headerFilter('ResponseHeaderModifier', b.response);
      if (f1) bf.push(f1);
      if (f2) bf.push(f2);
    }
    if (bf.length) ref.filters = bf;
    backends.push(ref);
  }
  if (!single && route.backends.length > 0 && route.backends.every((b) => (b.weight ?? 0) === 0)) {
    for (const b of backends) delete b.weight;
  }
  const f1 = headerFilter('RequestHeaderModifier', request);
  const f2 = headerFilter('ResponseHeaderModifier', response);
  if (f1) filters.push(f1);
  if (f2) filters.push(f2);
  if (route.cors) filters.push({ type: 'CORS', cors: structuredClone(route.cors) });
  for (const m of route.mirrors) {
    const ref: Record<string, unknown> = { name: m.backend.name };
    if (m.backend.namespace !== routeNs) ref.namespace = m.backend.namespace;
    if (m.backend.port !== undefined) ref.port = m.backend.port;
    const body: Record<string, unknown> = { backendRef: ref };
    if (m.percent !== undefined && m.percent !== 100) body.percent = m.percent;
    if (m.fraction) body.fraction = { ...m.fraction };
    filters.push({ type: 'RequestMirror', requestMirror: body });
  }
  const base = (ms: RouteMatch[], extra: RouteFilter[]): Omit<RuleIntent, 'name'> => {
    const rule: RuleIntent = { matches: ms.map((m) => structuredClone(m)), backends: backends.map((b) => structuredClone(b)), filters: [...filters.map((f) => structuredClone(f)), ...extra], provenance: [route.provenance] };
    if (route.timeouts && !route.redirect) rule.timeouts = { ...route.timeouts };
    if (route.retry && !route.redirect) rule.retry = { ...route.retry };
    return rule;
  };
  const out: RuleIntent[] = [];
  const push = (rule: Omit<RuleIntent, 'name'>) => {
    const n = ruleName(route, out.length);
    out.push(n ? { ...rule, name: n } : rule);
  };
  // Where the path is replaced depends on how each match matched.
  const rewriteUri = route.rewrite?.uri;
  const redirect = route.redirect;
  const hostname = route.rewrite?.hostname;
  if (redirect) {
    const filter = structuredClone(redirect.filter);
    if (redirect.fullPath !== undefined) {
      filter.path = { type: 'ReplaceFullPath', replaceFullPath: redirect.fullPath };
      push(base([...matches], [{ type: 'RequestRedirect', requestRedirect: filter }]));
    } else if (redirect.prefixRewrite !== undefined) {
      const prefixes = matches.filter((m) => m.path?.type === 'PathPrefix');
      const others = matches.filter((m) => m.path?.type !== 'PathPrefix');
      for (const m of prefixes) push(base([m], [{ type: 'RequestRedirect', requestRedirect: { ...structuredClone(filter), path: { type: 'ReplacePrefixMatch', replacePrefixMatch: redirect.prefixRewrite } } }]));
      if (others.length) {
        r.report([...route.at, 'redirect', 'prefixRewrite'], fieldRuleId('VirtualService.http.redirect.prefixRewrite'), 'warning', 'prefixRewrite needs prefix matches (Istio refuses it otherwise); the exact and regex matches redirect without changing the path');
        push(base(others, [{ type: 'RequestRedirect', requestRedirect: filter }]));
      }
    } else push(base([...matches], [{ type: 'RequestRedirect', requestRedirect: filter }]));
    return out;
  }
  if (rewriteUri !== undefined || hostname !== undefined) {
    const rewrite = (path?: Record<string, unknown>): RouteFilter => {
      const body: Record<string, unknown> = {};
      if (hostname !== undefined) body.hostname = hostname;
      if (path) body.path = path;
      return { type: 'URLRewrite', urlRewrite: body };
    };
    if (rewriteUri === undefined) {
      push(base([...matches], [rewrite()]));
      return out;
    }
    const prefixes = matches.filter((m) => m.path?.type === 'PathPrefix');
    const others = matches.filter((m) => m.path?.type !== 'PathPrefix');
    for (const m of prefixes) {
      const prefix = m.path!.value;
      if (prefix !== '/' && prefix.endsWith('/') !== rewriteUri.endsWith('/')) {
        r.report([...route.at, 'rewrite', 'uri'], fieldRuleId('VirtualService.http.rewrite.uri'), 'info', `Istio replaced the prefix "${prefix}" with "${rewriteUri}" character for character (${prefix}${prefix.endsWith('/') ? '' : '/'}x became ${rewriteUri}${prefix.endsWith('/') ? '' : '/'}x); Gateway API replaces whole segments and keeps one slash between the new prefix and the rest`);
      } else if (prefix === '/' && !rewriteUri.endsWith('/')) {
        r.report([...route.at, 'rewrite', 'uri'], fieldRuleId('VirtualService.http.rewrite.uri'), 'info', `Istio replaced the leading "/" with "${rewriteUri}" (/x became ${rewriteUri}x); Gateway API inserts a slash (${rewriteUri}/x)`);
      }
      push(base([m], [rewrite({ type: 'ReplacePrefixMatch', replacePrefixMatch: rewriteUri })]));
    }
    if (others.length) push(base(others, [rewrite({ type: 'ReplaceFullPath', replaceFullPath: rewriteUri })]));
    return out;
  }
  if (route.noBackend) {
    push({ matches: matches.map((m) => structuredClone(m)), backends: [], filters: [], provenance: [route.provenance] });
    return out;
  }
  push(base([...matches], []));
  return out;
}

/** Whether the route replaces the matched prefix (its added matches must keep the same prefix). */
export function prefixDependent(route: IstioHttpRoute): boolean {
  return route.rewrite?.uri !== undefined || route.redirect?.prefixRewrite !== undefined;
}
