/**
 * What a list of Traefik middlewares does to the requests of one rule, on one listener, as Gateway
 * API filters. Traefik runs the middlewares in order, each on the request the previous one left
 * (pkg/server/middleware/middlewares.go BuildMiddlewareChain); Gateway API has one filter of a kind
 * per rule, no URLRewrite together with a RequestRedirect, and rewrites relative to the rule's
 * match. So the path is followed symbolically:
 *
 * - for an Exact match the path is known: every step is computed;
 * - for a PathPrefix match R the request path is R + rest, where rest is empty or starts with "/"
 *   (Gateway API's segment-wise prefix); the steps turn R into some X, and the rule gets
 *   ReplacePrefixMatch X. A stripPrefix that applies to only part of the requests (a prefix longer
 *   than R) makes a rule of its own for those requests (PathPrefix, or Exact R for the request
 *   without a trailing part), which Gateway API ranks before the original one.
 *
 * Semantics of the middlewares (pkg/middlewares/...): stripPrefix strip_prefix.go L56-98 (first
 * matching prefix, in order; a plain string prefix; a leading "/" is restored; X-Forwarded-Prefix
 * is added); addPrefix add_prefix.go L45-60; replacePath replace_path.go L41-62 (X-Replaced-Path
 * set to the old path); redirectScheme redirect_scheme.go + redirect.go (a redirect only when the
 * URL changes; 302/301 for GET and 307/308 otherwise); redirectRegex redirect_regex.go (the regex
 * runs on scheme://host[:port]/path?query); headers header.go (request headers set or removed in
 * order, response headers of an earlier middleware win because its response hook runs last, CORS
 * answered by the first headers middleware that has it).
 */
import type { PathMatch, RouteFilter } from '../../ir/types.js';
import { HTTP_HEADER_NAME, DNS_SUBDOMAIN } from '../../ir/k8s-names.js';
import { invalidGatewayPath } from '../common/translate.js';
import type { Step } from './middlewares.js';
import { goMatch, goRegex, goReplaceAll } from './goregex.js';

export interface Listener {
  scheme: 'http' | 'https';
  port: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A finding about one middleware (reported once per middleware and message). */
export interface StepFinding {
  step: Step;
  ruleId: string;
  severity: Severity;
  message: string;
  remediation?: string;
}

interface EvaluatedRule {
  match: PathMatch;
  filters: RouteFilter[];
  /** The rule answers with a redirect: no backends. */
  redirect: boolean;
  /** Set when this rule was split off the original match (for findings). */
  splitFrom?: PathMatch;
  /**
   * The split was made for a stripPrefix prefix that does not end in "/": strip_prefix.go
   * compares strings, so Traefik also stripped the paths that only start with it (found by
   * verify); the caller reports it where the split rule is kept.
   */
  stringPrefix?: { step: Step; prefix: string };
}

type PathState = { kind: 'exact'; value: string } | { kind: 'prefix'; x: string } | { kind: 'opaque' };

interface HeaderOp {
  name: string;
  op: 'set' | 'add' | 'remove';
  value: string;
}

const PROTECTING: Record<string, string> = {
  basicAuth: 'basic authentication',
  digestAuth: 'digest authentication',
  forwardAuth: 'external (forward) authentication',
  ipAllowList: 'a client IP allowlist',
  ipWhiteList: 'a client IP allowlist (v2 name of ipAllowList)',
};

const OTHER: Record<string, { what: string; becomes: string; fix: string; severity?: Severity }> = {
  rateLimit: { what: 'rate limiting', becomes: 'Gateway API has no rate limits', fix: 'Use your implementation\u2019s rate limit policy (e.g. Envoy Gateway BackendTrafficPolicy rateLimit).' },
  inFlightReq: { what: 'a limit on simultaneous requests', becomes: 'Gateway API has no concurrency limit', fix: 'Use your implementation\u2019s circuit breaker or connection limits.' },
  retry: { what: 'retries on network errors', becomes: 'the HTTPRoute retry field is in the experimental channel and retries on status codes', fix: 'Use the experimental HTTPRoute retry, or your implementation\u2019s retry policy.' },
  circuitBreaker: { what: 'a circuit breaker', becomes: 'Gateway API has no circuit breaker', fix: 'Use your implementation\u2019s circuit breaker policy.' },
  compress: { what: 'response compression', becomes: 'Gateway API has no compression setting', fix: 'Use your implementation\u2019s compression feature, or compress in the backend.' },
  buffering: { what: 'request/response buffering and body size limits', becomes: 'Gateway API has no buffering or body size settings', fix: 'Use your implementation\u2019s buffer/body-size policy.' },
  errors: { what: 'custom error pages from another service', becomes: 'Gateway API cannot send an error response to another Service', fix: 'Serve the error pages from the backend, or use an implementation feature (Envoy Gateway BackendTrafficPolicy responseOverride).' },
  passTLSClientCert: { what: 'the client certificate passed in a header', becomes: 'no Gateway API equivalent', fix: 'Use your implementation\u2019s client certificate forwarding (e.g. Envoy Gateway ClientTrafficPolicy headers.xForwardedClientCert).' },
  contentType: { what: 'Content-Type auto-detection control', becomes: 'no Gateway API equivalent', fix: 'Set the Content-Type in the backend.' },
  grpcWeb: { what: 'gRPC-Web to gRPC conversion', becomes: 'no Gateway API equivalent', fix: 'Use your implementation\u2019s gRPC-Web support.' },
  encodedCharacters: { what: 'rules for encoded characters in paths', becomes: 'no Gateway API equivalent', fix: 'Check how your implementation normalizes encoded paths.' },
  plugin: { what: 'a plugin', becomes: 'no Gateway API equivalent', fix: 'Reimplement the plugin\u2019s behaviour with your implementation\u2019s extension mechanism.' },
  stripPrefixRegex: { what: 'a regex prefix strip', becomes: 'URLRewrite cannot strip a regex', fix: 'Write one rule per prefix with URLRewrite ReplacePrefixMatch.', severity: 'error' },
  replacePathRegex: { what: 'a regex path replacement', becomes: 'URLRewrite cannot rewrite with a regex', fix: 'Write the rewrite as ReplaceFullPath or ReplacePrefixMatch per path, or use an implementation-specific regex rewrite.', severity: 'error' },
};

const CORS_ORIGIN = /^(\*|https?:\/\/((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:[0-9]{1,5})?)$/;
const GATEWAY_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', '*']);
const SECURITY_FIELDS = [
  'allowedHosts', 'hostsProxyHeaders', 'sslProxyHeaders', 'stsSeconds', 'stsIncludeSubdomains', 'stsPreload', 'forceSTSHeader', 'frameDeny',
  'customFrameOptionsValue', 'contentTypeNosniff', 'browserXssFilter', 'customBrowserXSSValue', 'contentSecurityPolicy',
  'contentSecurityPolicyReportOnly', 'publicKey', 'referrerPolicy', 'permissionsPolicy', 'isDevelopment', 'featurePolicy', 'sslRedirect',
  'sslTemporaryRedirect', 'sslHost', 'sslForceHost',
];

const MAX_SPLIT_RULES = 8;

function ensureLeadingSlash(s: string): string {
  return s === '' || s.startsWith('/') ? s : `/${s}`;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function stringMap(v: unknown): [string, string][] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [];
  return Object.entries(v as Record<string, unknown>)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Status of a Traefik redirect in Gateway API: one code for every method (see the README of fixtures/traefik-redirects). */
function redirectStatus(permanent: boolean): 307 | 308 {
  return permanent ? 308 : 307;
}

interface ChainContext {
  listener: Listener;
  /** Hostnames of the route ([] = any host). */
  hosts: readonly string[];
  steps: readonly Step[];
  finding(f: StepFinding): void;
}

/**
 * The rules that reproduce `steps` for the requests of `match` on one listener: the original
 * rule and the rules split off it, each with its filters.
 */
export function evaluateChain(match: PathMatch, c: ChainContext): EvaluatedRule[] {
  const out: EvaluatedRule[] = [];
  const queue: { match: PathMatch; splitFrom?: PathMatch; stringPrefix?: { step: Step; prefix: string } }[] = [{ match }];
  const seen = new Set<string>([`${match.type} ${match.value}`]);
  while (queue.length > 0) {
    const item = queue.shift()!;
    const splits: { match: PathMatch; step: Step; stringPrefix?: string }[] = [];
    const rule = runOnce(item.match, c, splits);
    if (item.splitFrom) rule.splitFrom = item.splitFrom;
    if (item.stringPrefix) rule.stringPrefix = item.stringPrefix;
    out.push(rule);
    for (const s of splits) {
      const key = `${s.match.type} ${s.match.value}`;
      if (seen.has(key)) continue;
      if (seen.size >= MAX_SPLIT_RULES) {
        c.finding({ step: s.step, ruleId: 'traefik/middleware-path', severity: 'warning', message: `Middleware ${s.step.mw.namespace}/${s.step.mw.name} (${s.step.kind}) strips prefixes that would need more than ${MAX_SPLIT_RULES} rules for one path; the requests under ${s.match.value} are not stripped`, remediation: 'Write the rules for these prefixes by hand.' });
        continue;
      }
      seen.add(key);
      queue.push({ match: s.match, splitFrom: item.match, ...(s.stringPrefix ? { stringPrefix: { step: s.step, prefix: s.stringPrefix } } : {}) });
    }
  }
  return out;
}

/** R without a trailing slash: the part a request path starts with (the root is ""). */
function baseOf(m: PathMatch): string {
  return m.value.replace(/\/+$/, '');
}

function runOnce(match: PathMatch, c: ChainContext, splits: { match: PathMatch; step: Step; stringPrefix?: string }[]): EvaluatedRule {
  let path: PathState = match.type === 'Exact' ? { kind: 'exact', value: match.value } : match.type === 'PathPrefix' ? { kind: 'prefix', x: baseOf(match) } : { kind: 'opaque' };
  const base = match.type === 'PathPrefix' ? baseOf(match) : '';
  /** The request for exactly the base has no trailing part; for the root there is always one. */
  const restMayBeEmpty = match.type === 'PathPrefix' && base !== '';
  let pathChanged = false;
  let pathUnexpressible = false;
  const reqHeaders: HeaderOp[] = [];
  const respHeaders = new Map<string, HeaderOp>();
  let cors: Record<string, unknown> | undefined;
  let host: string | undefined;
  let redirect: Record<string, unknown> | undefined;

  const setReq = (op: HeaderOp) => {
    const i = reqHeaders.findIndex((h) => h.name.toLowerCase() === op.name.toLowerCase());
    if (i < 0) {
      reqHeaders.push(op);
      return;
    }
    const prev = reqHeaders[i]!;
    if (op.op === 'add' && prev.op !== 'remove') reqHeaders[i] = { name: prev.name, op: prev.op, value: `${prev.value},${op.value}` };
    else reqHeaders[i] = op;
  };

  for (const step of c.steps) {
    const cfg = step.config;
    const f = (ruleId: string, severity: Severity, message: string, remediation?: string) => {
      const sf: StepFinding = { step, ruleId, severity, message };
      if (remediation) sf.remediation = remediation;
      c.finding(sf);
    };
    const who = `Middleware ${step.mw.namespace}/${step.mw.name} (${step.kind})`;
    switch (step.kind) {
      case 'stripPrefix': {
        const prefixes = strings(cfg.prefixes).map((p) => p.trim());
        if (path.kind === 'opaque') {
          if (prefixes.length) {
            pathUnexpressible = true;
            f('traefik/middleware-path', 'error', `${who} strips a prefix from paths matched by a regular expression; a URLRewrite needs an Exact or PathPrefix match, so the paths reach the backend unstripped`, 'Match the paths with PathPrefix, or use an implementation-specific regex rewrite.');
          }
          break;
        }
        const current = path.kind === 'exact' ? path.value : path.x;
        for (const p of prefixes) {
          if (current.startsWith(p)) {
            // Applies to every request of the rule.
            const stripped = current.slice(p.length);
            const x = stripped === '' ? '' : ensureLeadingSlash(stripped);
            path = path.kind === 'exact' ? { kind: 'exact', value: x } : { kind: 'prefix', x };
            pathChanged = true;
            setReq({ name: 'X-Forwarded-Prefix', op: 'add', value: p });
            break;
          }
          if (path.kind === 'prefix' && p.startsWith(current)) {
            // Applies only to the requests whose trailing part starts with `s`.
            const s = p.slice(current.length);
            if (!s.startsWith('/')) continue; // a character-wise extension: only paths Gateway API no longer matches here
            // The request that is exactly the prefix is stripped to "" (strip_prefix.go keeps it
            // empty), which a later addPrefix turns into the bare prefix, where ReplacePrefixMatch
            // keeps a trailing "/": it needs an Exact rule of its own (found by verify).
            if (p.endsWith('/') && c.steps.slice(c.steps.indexOf(step) + 1).some((x) => x.kind === 'addPrefix')) {
              const exact = `${base}${s}`;
              if (invalidGatewayPath(exact) === undefined) splits.push({ match: { type: 'Exact', value: exact }, step });
            }
            if (s === '/' && restMayBeEmpty) {
              // Every request but the bare prefix: that one gets an Exact rule of its own.
              splits.push({ match: { type: 'Exact', value: base }, step });
            } else if (s !== '/') {
              const sub = `${base}${s.replace(/\/+$/, '')}`;
              if (invalidGatewayPath(sub) === undefined) {
                splits.push({ match: { type: 'PathPrefix', value: sub }, step, ...(p.endsWith('/') ? {} : { stringPrefix: p }) });
              }
              continue; // the other requests are not stripped by this prefix
            }
            path = { kind: 'prefix', x: '' };
            pathChanged = true;
            setReq({ name: 'X-Forwarded-Prefix', op: 'add', value: p });
            break;
          }
        }
        break;
      }
      case 'addPrefix': {
        const q = typeof cfg.prefix === 'string' ? cfg.prefix : '';
        if (path.kind === 'opaque') {
          pathUnexpressible = true;
          f('traefik/middleware-path', 'error', `${who} adds a prefix to paths matched by a regular expression; a URLRewrite needs an Exact or PathPrefix match, so the prefix is not added`, 'Match the paths with PathPrefix, or use an implementation-specific regex rewrite.');
          break;
        }
        if (path.kind === 'exact') path = { kind: 'exact', value: ensureLeadingSlash(q + path.value) };
        else {
          path = { kind: 'prefix', x: ensureLeadingSlash(q + path.x) };
          if (q.endsWith('/')) f('traefik/middleware-path', 'info', `${who}: the prefix ends with "/", so Traefik sent paths with "//" (${q}/...); a Gateway API prefix replacement joins with a single "/" where the rule's own prefix ends`);
        }
        pathChanged = true;
        break;
      }
      case 'replacePath': {
        const z = typeof cfg.path === 'string' ? cfg.path : '';
        path = { kind: 'exact', value: z };
        pathChanged = true;
        f('traefik/replace-path-header', 'info', `${who}: Traefik also sent the original path in X-Replaced-Path; a header modifier cannot copy the request path, so that header is not sent`);
        break;
      }
      case 'redirectScheme': {
        const scheme = typeof cfg.scheme === 'string' ? cfg.scheme : '';
        const port = typeof cfg.port === 'string' ? cfg.port : typeof cfg.port === 'number' ? String(cfg.port) : '';
        const explicitPort = port !== '' && !((scheme === 'http' && port === '80') || (scheme === 'https' && port === '443'));
        const samePort = explicitPort ? Number(port) === c.listener.port : c.listener.port === (scheme === 'https' ? 443 : 80);
        if (scheme === c.listener.scheme && samePort) break; // the URL does not change: no redirect
        if (scheme !== 'http' && scheme !== 'https') {
          f('traefik/middleware-redirect', 'warning', `${who} redirects to the scheme "${scheme}", which a Gateway API redirect cannot use; it was left out`);
          break;
        }
        const rr: Record<string, unknown> = { scheme };
        if (explicitPort) {
          if (/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535) rr.port = Number(port);
          else f('traefik/middleware-redirect', 'warning', `${who} redirects to port "${port}", which is not a port number; the redirect uses the default port of ${scheme}`);
        }
        if (pathChanged && !pathUnexpressible) {
          const pm = pathModifier(path, match, base);
          if (pm) rr.path = pm;
        }
        // The redirect keeps the request's Host, which an earlier headers middleware may have set.
        if (host) rr.hostname = host;
        redirect = finishRedirect(rr, Boolean(cfg.permanent));
        f('traefik/redirect-status', 'info', `${who}: Traefik answered GET with ${cfg.permanent ? 301 : 302} and other methods with ${cfg.permanent ? 308 : 307}; a Gateway API redirect has one status, ${redirectStatus(Boolean(cfg.permanent))}, which clients follow like ${cfg.permanent ? 301 : 302} for GET and without changing the method of other requests`);
        if (c.listener.scheme === 'http' && scheme === 'https' && !explicitPort) f('traefik/redirect-forwarded-proto', 'info', `${who}: Traefik did not redirect HTTP requests that carried X-Forwarded-Proto: https (TLS ended by a load balancer in front of it); Gateway API redirects every request of the HTTP listener`, 'If a load balancer in front of the Gateway ends TLS and forwards plain HTTP, send that traffic to the HTTPS listener (or drop the redirect), else it redirects in a loop.');
        break;
      }
      case 'redirectRegex': {
        const r = evaluateRedirectRegex(step, c, path, match, base, restMayBeEmpty, host);
        if (r.kind === 'pass') {
          if (r.checked) f('traefik/middleware-redirect', 'info', `${who} redirects none of the sample requests of a rule it is on (${describeRule(match, c)}: ${r.checked} URLs tried); it was left out there, so check that it never applied to these paths`);
          break;
        }
        if (r.kind === 'unsupported') {
          f('traefik/middleware-redirect', 'warning', `${who} cannot be a Gateway API redirect: ${r.why}; it was left out, so these requests now reach the backend`, 'Write the redirect as a RequestRedirect filter by hand (scheme, hostname, port, path), one rule per case.');
          break;
        }
        redirect = finishRedirect(r.redirect, Boolean(cfg.permanent));
        if (r.queryDropped) f('traefik/redirect-query', 'info', `${who}: the redirect target Traefik built dropped the query string; Gateway API redirects keep the request's query`);
        f('traefik/redirect-status', 'info', `${who}: Traefik answered GET with ${cfg.permanent ? 301 : 302} and other methods with ${cfg.permanent ? 308 : 307}; a Gateway API redirect has one status, ${redirectStatus(Boolean(cfg.permanent))}, which clients follow like ${cfg.permanent ? 301 : 302} for GET and without changing the method of other requests`);
        break;
      }
      case 'headers': {
        for (const [name, value] of stringMap(cfg.customRequestHeaders)) {
          if (!HTTP_HEADER_NAME.test(name)) {
            f('traefik/middleware-headers', 'warning', `${who}: "${name}" is not a valid header name; it was left out`);
            continue;
          }
          if (value === '') setReq({ name, op: 'remove', value: '' });
          else if (name.toLowerCase() === 'host') {
            if (DNS_SUBDOMAIN.test(value.toLowerCase())) host = value.toLowerCase();
            else f('traefik/middleware-headers', 'warning', `${who} sets the Host header to "${value}", which a URLRewrite hostname cannot be (a DNS name without port); it was left out`);
          } else setReq({ name, op: 'set', value });
        }
        for (const [name, value] of stringMap(cfg.customResponseHeaders)) {
          if (!HTTP_HEADER_NAME.test(name)) {
            f('traefik/middleware-headers', 'warning', `${who}: "${name}" is not a valid header name; it was left out`);
            continue;
          }
          // An earlier headers middleware modifies the response last: its value wins.
          if (!respHeaders.has(name.toLowerCase())) respHeaders.set(name.toLowerCase(), { name, op: value === '' ? 'remove' : 'set', value });
        }
        const corsCfg = readCors(cfg, (sev, msg) => f('traefik/middleware-cors', sev, `${who}: ${msg}`));
        if (corsCfg) {
          if (cors) f('traefik/middleware-cors', 'info', `${who}: an earlier headers middleware already answers CORS for these paths, so this one\u2019s CORS settings had no effect on preflights`);
          else cors = corsCfg;
        }
        const security = SECURITY_FIELDS.filter((k) => cfg[k] !== undefined && cfg[k] !== null && cfg[k] !== false && cfg[k] !== '');
        if (security.length) {
          f('traefik/middleware-security-headers', 'warning', `${who} sets security options (${security.join(', ')}) that were not translated: they add response headers only on some requests (HTTPS, by host) or reject requests`, 'Add the static response headers (X-Frame-Options, X-Content-Type-Options, Content-Security-Policy, Referrer-Policy, Strict-Transport-Security on HTTPS...) to a ResponseHeaderModifier, and enforce allowedHosts with the route hostnames.');
        }
        break;
      }
      default: {
        const prot = PROTECTING[step.kind];
        if (prot) {
          f(`traefik/middleware-${step.kind.toLowerCase()}`, 'error', `${who} protected these paths with ${prot}, which standard Gateway API cannot express; it was not translated, and the paths it protected are now reachable without it`, step.kind === 'forwardAuth' ? 'Use the experimental ExternalAuth filter (HTTP, the auth Service as backendRef) or your implementation\u2019s external auth policy (Envoy Gateway SecurityPolicy extAuth).' : 'Use your implementation\u2019s auth or IP policy (e.g. Envoy Gateway SecurityPolicy basicAuth / authorization).');
          break;
        }
        const o = OTHER[step.kind];
        if (o) f(`traefik/middleware-${step.kind.toLowerCase()}`, o.severity ?? 'warning', `${who} does ${o.what}; ${o.becomes}, so it was not translated`, o.fix);
        else f('traefik/middleware-unknown', 'warning', `${who} was not translated`);
      }
    }
    if (redirect) break;
  }

  const filters: RouteFilter[] = [];
  if (cors) filters.push({ type: 'CORS', cors });
  if (!redirect) {
    const rh = headerModifier(reqHeaders, true);
    if (rh) filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier: rh });
  }
  const sh = headerModifier([...respHeaders.values()], false);
  if (sh) filters.push({ type: 'ResponseHeaderModifier', responseHeaderModifier: sh });
  if (redirect) {
    filters.push({ type: 'RequestRedirect', requestRedirect: redirect });
    return { match, filters, redirect: true };
  }
  const rewrite: Record<string, unknown> = {};
  if (host) rewrite.hostname = host;
  if (pathChanged && !pathUnexpressible) {
    const p = pathModifier(path, match, base);
    if (p) rewrite.path = p;
  }
  if (Object.keys(rewrite).length) filters.push({ type: 'URLRewrite', urlRewrite: rewrite });
  return { match, filters, redirect: false };
}

/** The path modifier that turns the rule's requests into `path`, or undefined when nothing changes. */
function pathModifier(path: PathState, match: PathMatch, base: string): Record<string, unknown> | undefined {
  if (path.kind === 'opaque') return undefined;
  if (path.kind === 'exact') {
    const v = path.value === '' ? '/' : path.value;
    if (match.type === 'Exact' && v === match.value) return undefined;
    return { type: 'ReplaceFullPath', replaceFullPath: v };
  }
  if (path.x === base) return undefined;
  return { type: 'ReplacePrefixMatch', replacePrefixMatch: path.x === '' ? '/' : path.x };
}

/** The RequestRedirect with its fields in the usual order and the status for `permanent`. */
function finishRedirect(rr: Record<string, unknown>, permanent: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['scheme', 'hostname', 'path']) if (rr[k] !== undefined) out[k] = rr[k];
  if (rr.port !== undefined) out.port = rr.port;
  out.statusCode = redirectStatus(permanent);
  return out;
}

function headerModifier(ops: readonly HeaderOp[], request: boolean): Record<string, unknown> | undefined {
  const set = ops.filter((o) => o.op === 'set').map((o) => ({ name: o.name, value: o.value }));
  const add = ops.filter((o) => o.op === 'add').map((o) => ({ name: o.name, value: o.value }));
  const remove = ops.filter((o) => o.op === 'remove').map((o) => o.name);
  const out: Record<string, unknown> = {};
  if (set.length) out.set = set.slice(0, 16);
  if (request && add.length) out.add = add.slice(0, 16);
  if (remove.length) out.remove = remove.slice(0, 16);
  return Object.keys(out).length ? out : undefined;
}

/** The CORS part of a headers middleware as a Gateway API CORS filter (header.go processCorsHeaders, matchOrigin). */
function readCors(cfg: Record<string, unknown>, report: (severity: Severity, message: string) => void): Record<string, unknown> | undefined {
  const credentials = cfg.accessControlAllowCredentials === true;
  const allowHeaders = strings(cfg.accessControlAllowHeaders);
  const allowMethods = strings(cfg.accessControlAllowMethods);
  const originList = strings(cfg.accessControlAllowOriginList);
  const originRegex = strings(cfg.accessControlAllowOriginListRegex);
  const expose = strings(cfg.accessControlExposeHeaders);
  const maxAge = typeof cfg.accessControlMaxAge === 'number' ? cfg.accessControlMaxAge : undefined;
  // header.go HasCorsHeadersDefined: any of these, addVaryHeader included, turns CORS handling on.
  const has = credentials || allowHeaders.length || allowMethods.length || originList.length || originRegex.length || expose.length || maxAge !== undefined || cfg.addVaryHeader === true;
  if (!has) return undefined;
  const cors: Record<string, unknown> = {};
  const origins: string[] = [];
  for (const o of originList) {
    if (o.includes('*') && o !== '*') {
      report('warning', `origin "${o}" matched only that exact text in Traefik (no wildcard matching); Gateway API would read it as a wildcard, so it was left out`);
    } else if (CORS_ORIGIN.test(o)) {
      if (!origins.includes(o)) origins.push(o);
    } else report('warning', `origin "${o}" is not one Gateway API accepts (scheme://host[:port] or *); it was left out`);
  }
  if (originRegex.length) {
    report('warning', `accessControlAllowOriginListRegex (${originRegex.join(', ')}) has no Gateway API form (origins are exact or *.domain wildcards); those origins are no longer allowed`);
  }
  if (origins.length) cors.allowOrigins = origins.includes('*') ? ['*'] : origins.slice(0, 64);
  if (credentials) cors.allowCredentials = true;
  const methods: string[] = [];
  for (const m of allowMethods) {
    const up = m.trim().toUpperCase();
    if (GATEWAY_METHODS.has(up)) {
      if (!methods.includes(up)) methods.push(up);
    } else report('warning', `method "${m}" is not one Gateway API CORS accepts; it was left out`);
  }
  if (methods.length) cors.allowMethods = methods.includes('*') ? ['*'] : methods;
  const names = (list: string[]): string[] => {
    const out: string[] = [];
    for (const h of list.map((x) => x.trim())) {
      if (h === '*' || HTTP_HEADER_NAME.test(h)) {
        if (!out.some((x) => x.toLowerCase() === h.toLowerCase())) out.push(h);
      } else report('warning', `header "${h}" is not a valid header name; it was left out`);
    }
    return out;
  };
  const ah = names(allowHeaders);
  if (ah.length) cors.allowHeaders = ah.includes('*') ? ['*'] : ah.slice(0, 64);
  const eh = names(expose);
  if (eh.length) cors.exposeHeaders = eh.slice(0, 64);
  if (maxAge !== undefined) {
    if (maxAge >= 1) cors.maxAge = Math.min(maxAge, 2147483647);
    else report('info', `accessControlMaxAge ${maxAge} made Traefik send Access-Control-Max-Age: ${maxAge} (no caching); Gateway API's minimum is 1 second, which was used`);
    if (maxAge < 1) cors.maxAge = 1;
  } else {
    report('info', 'Traefik sent no Access-Control-Max-Age (browsers cache a preflight for 5 seconds); Gateway API\u2019s default is the same 5 seconds');
  }
  return cors;
}

type RedirectRegexResult =
  | { kind: 'pass'; checked?: number }
  | { kind: 'unsupported'; why: string }
  | { kind: 'redirect'; redirect: Record<string, unknown>; queryDropped: boolean };

/**
 * redirectRegex on the requests of a rule: the regex is run on sample requests of the rule
 * (the hosts of the route, the listener's scheme, the rule's path followed by several trailing
 * parts and a query), as Traefik runs it on scheme://host/path?query. The redirect is expressible
 * when it redirects all or none of them, to a fixed scheme/host/port, and either to a fixed path or
 * to the request path with its prefix replaced.
 */
function evaluateRedirectRegex(step: Step, c: ChainContext, path: PathState, match: PathMatch, base: string, restMayBeEmpty: boolean, hostOverride: string | undefined): RedirectRegexResult {
  const regex = typeof step.config.regex === 'string' ? step.config.regex : '';
  const replacement = typeof step.config.replacement === 'string' ? step.config.replacement : '';
  const compiled = goRegex(regex);
  if ('error' in compiled) return { kind: 'unsupported', why: `its regex "${regex}" cannot be evaluated (${compiled.error})` };
  if (path.kind === 'opaque') return { kind: 'unsupported', why: 'the rule matches paths with a regular expression, so the requests it sees are not known' };
  // The Host the request has at this point: the route's, or the one an earlier headers middleware set.
  const hosts = hostOverride
    ? [hostOverride]
    : c.hosts.length === 0
      ? ['gs-probe-a.example', 'gs-probe-b.example']
      : c.hosts.flatMap((h) => (h.startsWith('*.') ? [`gs-probe-a${h.slice(1)}`, `gs-probe-b${h.slice(1)}`] : [h]));
  // Trailing parts: plain ones, and ones made of the literal pieces of the regex (an extension,
  // a sub-path), so that a regex that redirects only some paths is caught.
  const pieces = [...new Set((regex.replace(/\\(.)/g, '$1').match(/[A-Za-z0-9._~-]*[A-Za-z0-9_~-][A-Za-z0-9._~-]*/g) ?? []).filter((x) => x.length >= 2 && !/^https?$/.test(x)))].slice(0, 8);
  const pieceRests = pieces.flatMap((x) => [`/${x}`, `/gs-probe${x}`, `/gs-probe/${x}`]);
  const rests = path.kind === 'exact' ? [''] : [...(restMayBeEmpty ? [''] : []), '/', '/gs-probe', '/Gs-Probe9/x.y', ...pieceRests];
  const probes: { host: string; rest: string; query: string }[] = [];
  for (const host of hosts) for (const rest of rests) for (const query of ['', '?gsq=1']) probes.push({ host, rest, query });
  const current = path.kind === 'exact' ? path.value : path.x;
  const results = probes.map((p) => {
    const reqPath = current + p.rest;
    const uri = (reqPath === '' ? '/' : reqPath) + p.query;
    const old = `${c.listener.scheme}://${p.host}${uri}`;
    if (!goMatch(compiled.re, old)) return { p, redirect: false as const };
    const next = goReplaceAll(compiled.re, old, replacement);
    return next === old ? { p, redirect: false as const } : { p, redirect: true as const, next };
  });
  const redirecting = results.filter((r) => r.redirect);
  if (redirecting.length === 0) {
    // Certain when the same requests in the other scheme are redirected (a scheme redirect).
    const other = c.listener.scheme === 'http' ? 'https' : 'http';
    const elsewhere = probes.some((p) => {
      const reqPath = current + p.rest;
      const old = `${other}://${p.host}${(reqPath === '' ? '/' : reqPath) + p.query}`;
      return goMatch(compiled.re, old) && goReplaceAll(compiled.re, old, replacement) !== old;
    });
    return elsewhere ? { kind: 'pass' } : { kind: 'pass', checked: results.length };
  }
  if (redirecting.length !== results.length) return { kind: 'unsupported', why: `it redirects only some of the requests of this rule (for example ${describe(redirecting[0]!.p, c.listener, current)} but not ${describe(results.find((r) => !r.redirect)!.p, c.listener, current)})` };
  let scheme: string | undefined;
  let hostname: string | undefined | null = undefined; // null: the request host is kept
  let port: number | undefined | null = undefined;
  let fixedPath: string | undefined | null = undefined; // null: request-dependent
  let prefix: string | undefined | null = undefined; // the new path is prefix + rest
  let queryDropped = false;
  for (const r of redirecting) {
    if (!r.redirect) continue;
    const u = /^(https?):\/\/([^/?#:]+)(?::(\d+))?([^?#]*)(\?[^#]*)?$/.exec(r.next);
    if (!u) return { kind: 'unsupported', why: `it redirects to "${r.next}", which is not an absolute http(s) URL` };
    const [, s, h, po, pa, q] = u as unknown as [string, string, string, string | undefined, string, string | undefined];
    if (scheme !== undefined && scheme !== s) return { kind: 'unsupported', why: 'the scheme of the target depends on the request' };
    scheme = s;
    const hostOut = h.toLowerCase() === r.p.host ? null : h.toLowerCase();
    if (hostname !== undefined && hostname !== hostOut) return { kind: 'unsupported', why: 'the host of the target depends on the request' };
    hostname = hostOut;
    const portOut = po === undefined ? null : Number(po);
    if (port !== undefined && port !== portOut) return { kind: 'unsupported', why: 'the port of the target depends on the request' };
    port = portOut;
    // The path: fixed, or the request's trailing part kept after a new prefix.
    const newPath = pa === '' ? '/' : pa;
    if (fixedPath === undefined) fixedPath = newPath;
    else if (fixedPath !== newPath) fixedPath = null;
    const rest = r.p.rest;
    const pre = rest === '' ? newPath : newPath.endsWith(rest) ? newPath.slice(0, newPath.length - rest.length) : undefined;
    if (pre === undefined) prefix = null;
    else if (prefix === undefined) prefix = pre;
    else if (prefix !== pre) prefix = null;
    const expectedQuery = r.p.query;
    const gotQuery = q ?? '';
    if (gotQuery !== expectedQuery) {
      if (expectedQuery !== '' && gotQuery === '') queryDropped = true;
      else return { kind: 'unsupported', why: `the target sets a query string ("${gotQuery}"), which a Gateway API redirect cannot` };
    }
  }
  const rr: Record<string, unknown> = { scheme };
  if (hostname === null && hostOverride) hostname = hostOverride; // the Host a headers middleware set, kept
  if (typeof hostname === 'string') {
    if (!DNS_SUBDOMAIN.test(hostname)) return { kind: 'unsupported', why: `the target host "${hostname}" is not a DNS name` };
    rr.hostname = hostname;
  }
  if (typeof port === 'number') rr.port = port;
  if (path.kind === 'exact' && typeof fixedPath === 'string') {
    // The rule's path is known: the target path is fixed; it changes nothing when it is the request's own.
    if (!(match.type === 'Exact' && fixedPath === match.value)) rr.path = { type: 'ReplaceFullPath', replaceFullPath: fixedPath };
  } else if (typeof fixedPath === 'string') {
    rr.path = { type: 'ReplaceFullPath', replaceFullPath: fixedPath };
  } else if (typeof prefix === 'string') {
    const p = prefix.replace(/\/+$/, '');
    if (p !== base) rr.path = { type: 'ReplacePrefixMatch', replacePrefixMatch: p === '' ? '/' : p };
  } else return { kind: 'unsupported', why: 'the target path is neither fixed nor the request path under a new prefix' };
  return { kind: 'redirect', redirect: rr, queryDropped };
}

function describeRule(match: PathMatch, c: ChainContext): string {
  return `${c.listener.scheme}://${c.hosts[0] ?? '*'}${match.value}${match.type === 'PathPrefix' ? '...' : ''}`;
}

function describe(p: { host: string; rest: string; query: string }, l: Listener, current: string): string {
  return `${l.scheme}://${p.host}${current + p.rest || '/'}${p.query}`;
}
