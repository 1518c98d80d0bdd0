/**
 * `--target envoy-gateway`: the ingress-nginx annotations that only an implementation policy can
 * express, as Envoy Gateway v1.9.0 policy objects.
 *
 * Scope follows ingress-nginx: location-level annotations (timeouts, retries, body size, load
 * balancing, rate limits, IP lists, auth) apply to every path of their Ingress, so they become
 * one BackendTrafficPolicy and one SecurityPolicy per Ingress, attached to all of that Ingress's
 * routes (not to the HTTP-to-HTTPS redirect twins: nginx redirects in the rewrite phase, before
 * any of these apply). Server-level annotations (ssl-ciphers, auth-tls-*) belong to the host and
 * the first Ingress of the host in controller order that sets them wins; they become a
 * ClientTrafficPolicy on the host's HTTPS listener.
 *
 * Facts (with line references) are in docs/research/ingress-nginx-annotations.md.
 */
import type { PolicyIntent, RouteIntent } from '../../ir/types.js';
import type { IngressModel } from '../common/ingress-model.js';
import { provenanceOf } from '../common/translate.js';
import type { ProviderContext } from '../types.js';
import { NGINX_PREFIX } from './rules.js';
import { reporterFor } from './annotations.js';
import { parseGoBool } from '../common/translate.js';
import { DNS_LABEL } from '../../ir/k8s-names.js';

type Report = ReturnType<typeof reporterFor>;

const POSITIVE_INT = /^\d+$/;
/** proxy-body-size as nginx renders it (TPL L1015): digits and an optional k, m or g (1024-based). */
const NGINX_SIZE = /^(\d+)([kKmMgG]?)$/;
const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
/** requestBuffer.limit is a uint32 in Envoy Gateway (backendtrafficpolicy.go, v1.9.0). */
const MAX_REQUEST_BUFFER = 4294967295;

/** Seconds as a Gateway API Duration (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`). */
function duration(seconds: number): string {
  if (seconds <= 99999) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h}h${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

/** An nginx size as a Kubernetes quantity with the same number of bytes. */
function quantity(n: number, unit: string): string {
  const u = unit.toLowerCase();
  return u === 'k' ? `${n}Ki` : u === 'm' ? `${n}Mi` : u === 'g' ? `${n}Gi` : `${n}`;
}

/** An IPv4/IPv6 address or CIDR, as nginx's allow/deny take it; returned in CIDR form. */
export function toCidr(v: string): string | undefined {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(v);
  if (!m) return undefined;
  const ip = m[1]!;
  const bits = m[2] === undefined ? undefined : Number(m[2]);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    if (ip.split('.').some((o) => Number(o) > 255 || (o.length > 1 && o.startsWith('0')))) return undefined;
    if (bits !== undefined && bits > 32) return undefined;
    return `${ip}/${bits ?? 32}`;
  }
  if (/^[0-9A-Fa-f:.]+$/.test(ip) && ip.includes(':')) {
    const parts = ip.split('::');
    if (parts.length > 2) return undefined;
    const groups = parts.flatMap((p) => (p === '' ? [] : p.split(':')));
    if (groups.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g) && !/^\d{1,3}(\.\d{1,3}){3}$/.test(g))) return undefined;
    if (parts.length === 1 && groups.length !== 8) return undefined;
    if (bits !== undefined && bits > 128) return undefined;
    return `${ip.toLowerCase()}/${bits ?? 128}`;
  }
  return undefined;
}

/** Reads one Ingress's annotation values (trimmed, empty = absent) and records what was used. */
function reader(m: IngressModel, consumed: Set<string>) {
  return {
    get(k: string): string | undefined {
      const v = m.annotations[NGINX_PREFIX + k];
      return v === undefined || v.trim() === '' ? undefined : v.trim();
    },
    use(k: string): void {
      consumed.add(NGINX_PREFIX + k);
    },
  };
}

/** Route-level policies (BackendTrafficPolicy, SecurityPolicy) of one Ingress. */
export function envoyGatewayRoutePolicies(ctx: ProviderContext, m: IngressModel, routes: RouteIntent[], consumed: Set<string>): void {
  const attached = routes.filter((r) => r.httpsRedirectFor === undefined);
  if (attached.length === 0) return;
  const report = reporterFor(ctx, m);
  const a = reader(m, consumed);
  const btp = backendTraffic(m, a, report, attached);
  const sp = security(m, a, report);
  const base = { target: 'envoy-gateway' as const, namespace: m.namespace, name: m.name, attach: { routes: attached } };
  const prov = [provenanceOf(m, ['metadata', 'annotations'])];
  if (Object.keys(btp).length > 0) ctx.ir.policies.push({ ...base, kind: 'BackendTrafficPolicy', spec: btp, provenance: prov });
  if (Object.keys(sp).length > 0) ctx.ir.policies.push({ ...base, kind: 'SecurityPolicy', spec: sp, provenance: prov });
  // nginx sends `proxy_set_header Authorization ""` with basic auth (TMPL L1254-1263): the
  // backend never saw the credentials. Envoy's basic auth filter leaves the header in place.
  if (sp.basicAuth) for (const r of attached) for (const rule of r.rules) if (rule.backends.length > 0) removeRequestHeader(rule, 'Authorization');
}

/** Adds `name` to the rule's RequestHeaderModifier remove list (one modifier per rule is allowed). */
function removeRequestHeader(rule: RouteIntent['rules'][number], name: string): void {
  const existing = rule.filters.find((f) => f.type === 'RequestHeaderModifier');
  if (!existing) {
    rule.filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier: { remove: [name] } });
    return;
  }
  const mod = existing.requestHeaderModifier as { remove?: string[] };
  if (!(mod.remove ?? []).some((h) => h.toLowerCase() === name.toLowerCase())) mod.remove = [...(mod.remove ?? []), name];
}

function positiveSeconds(a: ReturnType<typeof reader>, report: Report, k: string): number | undefined {
  const v = a.get(k);
  if (v === undefined) return undefined;
  a.use(k);
  if (!POSITIVE_INT.test(v) || Number(v) === 0) {
    report(k, { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `${NGINX_PREFIX}${k}="${v}" is not a whole number of seconds; ingress-nginx used its default, and so does the translation` });
    return undefined;
  }
  return Number(v);
}

function backendTraffic(m: IngressModel, a: ReturnType<typeof reader>, report: Report, routes: RouteIntent[]): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  const timeout: { tcp?: Record<string, string>; http?: Record<string, string> } = {};

  // proxy-connect-timeout: `proxy_connect_timeout Ns` = Envoy's cluster connect timeout.
  const connect = positiveSeconds(a, report, 'proxy-connect-timeout');
  if (connect !== undefined) timeout.tcp = { connectTimeout: duration(connect) };

  // proxy-read-timeout / proxy-send-timeout: nginx times the gap between two reads from (or
  // writes to) the backend, and has no limit on the whole request. Envoy's stream idle timeout
  // is the gap on the stream in either direction; its route timeout (15s by default in Envoy)
  // limits the whole request, so it is switched off as nginx had none.
  const read = positiveSeconds(a, report, 'proxy-read-timeout');
  const send = positiveSeconds(a, report, 'proxy-send-timeout');
  if (read !== undefined || send !== undefined) {
    const idle = Math.max(read ?? 60, send ?? 60);
    timeout.http = { requestTimeout: '0s', streamIdleTimeout: duration(idle) };
    if (read !== undefined && send !== undefined && read !== send) {
      report('proxy-send-timeout', {
        severity: 'info',
        message: `Envoy has one idle timeout for both directions of a request; proxy-read-timeout (${read}s) and proxy-send-timeout (${send}s) became streamIdleTimeout ${duration(idle)}`,
      });
    }
  }
  if (timeout.tcp || timeout.http) spec.timeout = timeout;

  // Load balancing: sticky cookies (affinity) win over upstream-hash-by, which wins over
  // load-balance (rootfs/etc/nginx/lua/balancer.lua get_implementation).
  const affinity = a.get('affinity') === 'cookie';
  if (affinity) spec.loadBalancer = cookieAffinity(m, a, report);
  const hashBy = a.get('upstream-hash-by');
  const lb = a.get('load-balance');
  if (hashBy !== undefined) {
    a.use('upstream-hash-by');
    if (affinity) {
      report('upstream-hash-by', { severity: 'info', message: 'upstream-hash-by had no effect: affinity=cookie takes precedence in ingress-nginx' });
    } else if (parseGoBool(a.get('upstream-hash-by-subset') ?? 'false') === true) {
      // upstream-hash-by-subset itself is reported from the rule table.
      report('upstream-hash-by', { severity: 'warning', message: 'upstream-hash-by with upstream-hash-by-subset (hashing to a subset, then random) has no Envoy Gateway equivalent; no load-balancing policy was generated' });
    } else {
      const ch = consistentHash(hashBy);
      if (typeof ch === 'string') {
        report('upstream-hash-by', {
          severity: 'warning',
          message: `upstream-hash-by="${hashBy}" was not translated: ${ch}`,
          remediation: 'Envoy Gateway hashes on the client IP, one header, one cookie or query parameters (BackendTrafficPolicy loadBalancer.consistentHash); pick the one that carries your key.',
        });
      } else {
        spec.loadBalancer = { type: 'ConsistentHash', consistentHash: ch };
      }
    }
  }
  if (lb !== undefined) {
    a.use('load-balance');
    if (affinity || hashBy !== undefined) {
      report('load-balance', { severity: 'info', message: `load-balance="${lb}" had no effect: ${affinity ? 'affinity=cookie' : 'upstream-hash-by'} takes precedence in ingress-nginx` });
    } else if (lb === 'round_robin') {
      spec.loadBalancer = { type: 'RoundRobin' };
    } else if (lb === 'ewma') {
      spec.loadBalancer = { type: 'LeastRequest' };
      report('load-balance', {
        severity: 'info',
        message: 'ewma (peak exponentially weighted moving average of latency) became LeastRequest, Envoy\u2019s closest algorithm: both steer traffic away from slow or busy endpoints',
      });
    } else {
      report('load-balance', { severity: 'warning', message: `load-balance="${lb}" was not translated: without upstream-hash-by or affinity ingress-nginx has no key for it` });
    }
  }

  // service-upstream: proxy to the ClusterIP (kube-proxy balances) instead of the endpoints.
  const svcUp = a.get('service-upstream');
  if (svcUp !== undefined) {
    a.use('service-upstream');
    if (parseGoBool(svcUp) === true) spec.routingType = 'Service';
  }

  // proxy-body-size: client_max_body_size, 413 above it. Envoy Gateway's requestBuffer.limit
  // answers 413 too, and buffers the body first, as nginx does (proxy-request-buffering on).
  const body = a.get('proxy-body-size');
  const buffering = a.get('proxy-request-buffering');
  if (buffering !== undefined) a.use('proxy-request-buffering');
  if (body !== undefined) {
    a.use('proxy-body-size');
    const s = NGINX_SIZE.exec(body);
    if (!s) {
      report('proxy-body-size', { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `proxy-body-size="${body}" is not rendered by ingress-nginx (digits and k, m or g), so its default (1m) applied; nothing was generated` });
    } else if (Number(s[1]) > 0) {
      if (routes.some((r) => r.kind === 'GRPCRoute')) {
        report('proxy-body-size', {
          severity: 'warning',
          message: 'proxy-body-size was not translated for this gRPC Ingress: Envoy Gateway\u2019s requestBuffer holds the whole request before proxying, which breaks client streaming',
          remediation: 'Limit message sizes in the gRPC server instead.',
        });
      } else if (Number(s[1]) * (SIZE_UNITS[s[2]!.toLowerCase()] ?? 1) > MAX_REQUEST_BUFFER) {
        report('proxy-body-size', {
          severity: 'warning',
          message: `proxy-body-size="${body}" is above the 4294967295 bytes an Envoy Gateway requestBuffer takes (a larger one invalidates the whole policy), so no body limit was generated`,
        });
      } else {
        const limit = quantity(Number(s[1]), s[2]!);
        spec.requestBuffer = { limit };
        report('proxy-body-size', {
          severity: 'warning',
          message: `the body limit became an Envoy Gateway requestBuffer (413 above ${limit}, as nginx): Envoy holds each request body in memory up to the limit (nginx spilled large bodies to disk) and turns off WebSocket upgrades on these routes`,
          remediation: 'If these paths serve WebSockets, remove the requestBuffer from the BackendTrafficPolicy (and limit body sizes in the backend); size Envoy\u2019s memory for the limit.',
        });
        if (buffering === 'off') {
          report('proxy-request-buffering', {
            severity: 'info',
            message: 'proxy-request-buffering off streamed request bodies; with proxy-body-size the Envoy Gateway requestBuffer holds each body (up to the limit) before proxying',
          });
        }
      }
    }
    // 0: no limit, which is Envoy's default.
  }
  // proxy-request-buffering alone: "off" streams bodies, which is what Envoy does; "on" (the
  // default) buffered them, which only matters for slow uploads: Envoy streams them.
  if (buffering === 'on' && body === undefined) {
    report('proxy-request-buffering', { severity: 'info', message: 'proxy-request-buffering on made nginx read whole request bodies before proxying; Envoy streams them unless a body limit (proxy-body-size) is set' });
  }

  // proxy-next-upstream (+ -tries): retries on another endpoint. nginx retries by default
  // ("error timeout", 3 tries); Envoy Gateway does not retry unless told.
  const nextUp = a.get('proxy-next-upstream');
  const tries = a.get('proxy-next-upstream-tries');
  if (nextUp !== undefined || tries !== undefined) {
    const retry = retryPolicy(nextUp ?? 'error timeout', tries, report);
    if (nextUp !== undefined) a.use('proxy-next-upstream');
    if (tries !== undefined) a.use('proxy-next-upstream-tries');
    if (retry) spec.retry = retry;
  }

  // limit-rps / limit-rpm: per client IP, per controller replica (a zone per Ingress keyed by
  // $binary_remote_addr). Envoy Gateway's local rate limit with a Distinct source CIDR counts
  // per client IP per Envoy replica.
  const rules: Record<string, unknown>[] = [];
  const mult = a.get('limit-burst-multiplier');
  const paths = routes.reduce((n, r) => n + r.rules.filter((x) => x.backends.length > 0).length, 0);
  for (const [k, unit] of [['limit-rps', 'Second'], ['limit-rpm', 'Minute']] as const) {
    const v = a.get(k);
    if (v === undefined) continue;
    a.use(k);
    if (!POSITIVE_INT.test(v) || Number(v) === 0) {
      report(k, { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `${NGINX_PREFIX}${k}="${v}" is not a positive whole number; ingress-nginx refused the Ingress\u2019s rate limits` });
      continue;
    }
    for (const cidr of ['0.0.0.0/0', '::/0']) {
      rules.push({ clientSelectors: [{ sourceCIDR: { type: 'Distinct', value: cidr } }], limit: { requests: Number(v), unit } });
    }
    const burst = Number(v) * (mult !== undefined && POSITIVE_INT.test(mult) ? Number(mult) : 5);
    report(k, {
      severity: 'info',
      message: `${k}=${v} became an Envoy Gateway local rate limit of ${v} requests per ${unit.toLowerCase()} per client IP and Envoy replica; nginx also let a client burst ${burst} requests beyond the rate (limit-burst-multiplier), answered 503 where Envoy answers 429, and counted all paths of the Ingress in one zone where Envoy counts each route rule separately${paths > 1 ? ` (${paths} here, so up to ${paths} times as many requests)` : ''}`,
    });
  }
  if (rules.length > 0) spec.rateLimit = { type: 'Local', local: { rules } };
  return spec;
}

/**
 * affinity=cookie (lua/balancer/sticky.lua). nginx pins a client to an endpoint with a cookie
 * (default INGRESSCOOKIE, HttpOnly, Path = the Ingress path) and, in the default "balanced"
 * mode, moves some clients when endpoints are added. Envoy's consistent hash on a cookie it
 * generates when absent (a session cookie with ttl 0s) pins the same way and moves about 1/N of
 * the clients when the endpoint set changes.
 */
function cookieAffinity(m: IngressModel, a: ReturnType<typeof reader>, report: Report): Record<string, unknown> {
  a.use('affinity');
  const keys = ['session-cookie-name', 'session-cookie-max-age', 'session-cookie-expires', 'session-cookie-path', 'session-cookie-samesite', 'session-cookie-domain', 'session-cookie-secure', 'affinity-mode'];
  for (const k of keys) if (a.get(k) !== undefined) a.use(k);
  const cookie: Record<string, unknown> = { name: a.get('session-cookie-name') ?? 'INGRESSCOOKIE' };
  const lifeKey = a.get('session-cookie-max-age') !== undefined ? 'session-cookie-max-age' : 'session-cookie-expires';
  const life = a.get(lifeKey);
  if (life !== undefined && !/^[1-9]\d*$/.test(life)) {
    report(lifeKey, { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `cookie lifetime "${life}" is not a positive number of seconds; nginx set a session cookie, and so does the translation` });
  }
  cookie.ttl = life !== undefined && /^[1-9]\d*$/.test(life) ? duration(Number(life)) : '0s';
  const attributes: Record<string, string> = {};
  const path = a.get('session-cookie-path');
  const paths = [...new Set(m.rules.flatMap((r) => r.paths.map((p) => p.path)))];
  if (path !== undefined) attributes.Path = path;
  else if (paths.length === 1 && /^\/[A-Za-z0-9._~\/-]*$/.test(paths[0]!)) attributes.Path = paths[0]!;
  else {
    report('affinity', {
      severity: 'info',
      message: `nginx set the cookie Path to each location\u2019s path (${paths.join(', ')}); one policy covers all paths of the Ingress, so the cookie has no Path attribute (the browser uses the request\u2019s directory)`,
      remediation: 'Set session-cookie-path on the Ingress to choose one, then regenerate.',
    });
  }
  const sameSite = a.get('session-cookie-samesite');
  if (sameSite !== undefined) {
    const v = ['None', 'Lax', 'Strict'].find((x) => x.toLowerCase() === sameSite.toLowerCase());
    if (v) attributes.SameSite = v;
    else report('session-cookie-samesite', { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `session-cookie-samesite="${sameSite}" is not None, Lax or Strict; nginx ignored it` });
  }
  const domain = a.get('session-cookie-domain');
  if (domain !== undefined) attributes.Domain = domain;
  const secure = a.get('session-cookie-secure');
  if (secure !== undefined && parseGoBool(secure) === true) attributes.Secure = '';
  else {
    report('affinity', {
      severity: 'info',
      message: 'nginx marked the affinity cookie Secure on HTTPS requests only (session-cookie-secure unset or false); Envoy sets the same attributes on both, without Secure',
    });
  }
  if (Object.keys(attributes).length > 0) cookie.attributes = attributes;
  const mode = a.get('affinity-mode');
  if (mode === 'persistent') {
    report('affinity-mode', {
      severity: 'warning',
      message: 'affinity-mode persistent kept every client on its endpoint when endpoints were added; Envoy\u2019s cookie hash moves about 1/N of them, as nginx\u2019s default balanced mode did',
      remediation: 'For strict stickiness use Gateway API sessionPersistence (convert with --channel experimental and without --target).',
    });
  }
  return { type: 'ConsistentHash', consistentHash: { type: 'Cookie', cookie } };
}

/** upstream-hash-by: one nginx variable to an Envoy Gateway consistent hash, or why not. */
export function consistentHash(v: string): Record<string, unknown> | string {
  if (v === '$remote_addr' || v === '$binary_remote_addr') return { type: 'SourceIP' };
  const http = /^\$http_([a-z0-9_]+)$/i.exec(v);
  if (http) return { type: 'Header', header: { name: http[1]!.replace(/_/g, '-') } };
  const cookie = /^\$cookie_([A-Za-z0-9_-]+)$/.exec(v);
  if (cookie) return { type: 'Cookie', cookie: { name: cookie[1]! } };
  const arg = /^\$arg_([A-Za-z0-9_-]+)$/.exec(v);
  if (arg) return { type: 'QueryParams', queryParams: [{ name: arg[1]! }] };
  return `Envoy Gateway cannot hash on ${v.includes('$') ? 'this nginx variable expression' : 'a constant'} (it hashes on the client IP, a header, a cookie or query parameters)`;
}

const STATUS_TOKENS: Record<string, number> = { http_500: 500, http_502: 502, http_503: 503, http_504: 504, http_403: 403, http_404: 404, http_429: 429 };

function retryPolicy(value: string, tries: string | undefined, report: Report): Record<string, unknown> | undefined {
  const tokens = value.split(/\s+/).filter(Boolean);
  if (tokens.includes('off')) return { numRetries: 0 };
  const triggers = new Set<string>();
  const codes: number[] = [];
  const dropped: string[] = [];
  for (const t of tokens) {
    if (t === 'error' || t === 'timeout') {
      // error: connecting, sending or reading the header failed; timeout: the same, timed out.
      triggers.add('connect-failure');
      triggers.add('reset');
    } else if (STATUS_TOKENS[t] !== undefined) {
      triggers.add('retriable-status-codes');
      codes.push(STATUS_TOKENS[t]);
    } else if (t !== 'non_idempotent') {
      dropped.push(t);
    }
  }
  let numRetries = 2;
  if (tries !== undefined) {
    if (!POSITIVE_INT.test(tries)) {
      report('proxy-next-upstream-tries', { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `proxy-next-upstream-tries="${tries}" is not a whole number; ingress-nginx used 3` });
    } else if (Number(tries) === 0) {
      report('proxy-next-upstream-tries', { severity: 'warning', message: 'proxy-next-upstream-tries 0 (no limit) has no Envoy equivalent; the translation keeps nginx\u2019s default of 3 tries (2 retries)' });
    } else {
      numRetries = Number(tries) - 1;
    }
  }
  if (dropped.length > 0) {
    report('proxy-next-upstream', { severity: 'warning', message: `proxy-next-upstream condition(s) ${dropped.join(', ')} were not translated (no Envoy retry trigger matches)` });
  }
  if (!tokens.includes('non_idempotent') && numRetries > 0) {
    report('proxy-next-upstream', {
      severity: 'info',
      message: 'nginx never retried POST, LOCK or PATCH requests (no non_idempotent); Envoy retries every method on these conditions',
    });
  }
  const retry: Record<string, unknown> = { numRetries };
  if (triggers.size > 0) {
    const retryOn: Record<string, unknown> = { triggers: [...triggers].sort() };
    if (codes.length > 0) retryOn.httpStatusCodes = codes.sort((x, y) => x - y);
    retry.retryOn = retryOn;
  }
  return retry;
}

function security(m: IngressModel, a: ReturnType<typeof reader>, report: Report): Record<string, unknown> {
  const spec: Record<string, unknown> = {};

  // IP allow/deny lists: `deny` lines first, then `allow` lines and `deny all` (TMPL L1206-1214),
  // 403 either way. A list that fails validation makes every path answer 503 (fails closed).
  const allowKey = a.get('allowlist-source-range') !== undefined ? 'allowlist-source-range' : a.get('whitelist-source-range') !== undefined ? 'whitelist-source-range' : undefined;
  if (allowKey === 'allowlist-source-range' && a.get('whitelist-source-range') !== undefined) {
    a.use('whitelist-source-range');
    report('whitelist-source-range', { severity: 'info', message: 'whitelist-source-range was ignored: ingress-nginx reads it only when allowlist-source-range is empty' });
  }
  const lists: { key: string; action: 'Allow' | 'Deny' }[] = [];
  if (a.get('denylist-source-range') !== undefined) lists.push({ key: 'denylist-source-range', action: 'Deny' });
  if (allowKey) lists.push({ key: allowKey, action: 'Allow' });
  if (lists.length > 0) {
    const rules: Record<string, unknown>[] = [];
    let broken = false;
    for (const l of lists) {
      a.use(l.key);
      const raw = a.get(l.key)!.split(',').map((s) => s.trim()).filter(Boolean);
      const cidrs = raw.map(toCidr);
      const bad = raw.filter((_, i) => cidrs[i] === undefined);
      if (bad.length > 0) {
        broken = true;
        report(l.key, {
          severity: 'error',
          message: `${l.key} has entries that are not IP addresses or CIDRs (${bad.join(', ')}); ingress-nginx answered every path of the Ingress with 503, so the translation denies every request`,
          remediation: 'Fix the list; the SecurityPolicy then needs regenerating.',
        });
      }
      rules.push({ name: l.key === 'denylist-source-range' ? 'denylist' : 'allowlist', action: l.action, principal: { clientCIDRs: [...new Set(cidrs.filter((c): c is string => c !== undefined))] } });
    }
    spec.authorization = broken ? { defaultAction: 'Deny' } : { defaultAction: allowKey ? 'Deny' : 'Allow', rules };
    if (!broken) report(lists[lists.length - 1]!.key, {
      severity: 'info',
      message: 'nginx checked $remote_addr (the connecting address, or the real client IP when use-forwarded-headers or the PROXY protocol was on); Envoy Gateway checks the client IP its ClientTrafficPolicy clientIPDetection yields (by default the connecting address), so keep the client IP visible to Envoy the same way',
    });
  }

  // auth-type basic: htpasswd users from a Secret. Envoy Gateway reads the key `.htpasswd` and
  // accepts only {SHA} hashes.
  const authType = a.get('auth-type');
  if (authType === 'digest') {
    a.use('auth-type');
    if (a.get('auth-secret') !== undefined) a.use('auth-secret');
    if (a.get('auth-secret-type') !== undefined) a.use('auth-secret-type');
    if (a.get('auth-realm') !== undefined) a.use('auth-realm');
    report('auth-type', {
      severity: 'error',
      message: 'digest authentication has no Envoy Gateway equivalent; so that the paths do not become public, the SecurityPolicy denies every request',
      remediation: 'Move the users to basic auth over HTTPS (auth-type basic) or to an OIDC/JWT SecurityPolicy, then regenerate.',
    });
    spec.authorization = { defaultAction: 'Deny' };
  } else if (authType === 'basic') {
    const secret = a.get('auth-secret');
    a.use('auth-type');
    if (secret === undefined) {
      report('auth-type', { severity: 'error', message: 'auth-type basic without auth-secret: ingress-nginx answered 503; the translation denies every request', remediation: 'Set auth-secret.' });
      spec.authorization = { defaultAction: 'Deny' };
    } else {
      a.use('auth-secret');
      const parts = secret.split('/');
      const ns = parts.length === 2 ? parts[0]! : m.namespace;
      const name = parts.length === 2 ? parts[1]! : parts[0]!;
      const format = a.get('auth-secret-type') ?? 'auth-file';
      if (a.get('auth-secret-type') !== undefined) a.use('auth-secret-type');
      if (parts.length > 2 || !DNS_LABEL.test(ns) || name === '' || ns !== m.namespace) {
        report('auth-secret', {
          severity: 'error',
          message: `auth-secret="${secret}" ${ns !== m.namespace ? 'is in another namespace, which ingress-nginx refuses by default (503)' : 'is not a valid Secret reference (503 in ingress-nginx)'}; the translation denies every request`,
          remediation: 'Use a Secret of the Ingress\u2019s namespace.',
        });
        spec.authorization = { defaultAction: 'Deny' };
      } else {
        spec.basicAuth = { users: { name } };
        report('auth-secret', {
          severity: 'warning',
          message: `Envoy Gateway reads the users from the key ".htpasswd" of Secret ${ns}/${name} and accepts only {SHA} password hashes; ingress-nginx read ${format === 'auth-map' ? 'one key per user' : 'the key "auth"'}, where htpasswd\u2019s default MD5 (apr1) or bcrypt hashes are common`,
          remediation: `Add a ".htpasswd" key to Secret ${ns}/${name} with each user as \`user:{SHA}<base64 sha1>\` (htpasswd -s), recreating entries whose passwords are hashed otherwise.`,
        });
        if (a.get('auth-realm') !== undefined) {
          a.use('auth-realm');
          report('auth-realm', { severity: 'info', message: 'Envoy Gateway\u2019s basic auth challenge has no configurable realm; the realm text is lost' });
        }
      }
    }
  }
  const authUrl = a.get('auth-url');
  if (authUrl !== undefined) {
    const ext = externalAuth(m, a, report, authUrl);
    if (ext) spec.extAuth = ext;
  }
  return spec;
}

/** In-cluster Service URLs: `svc`, `svc.ns.svc` or `svc.ns.svc.cluster.local`, http only. */
const SERVICE_URL = /^http:\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?:\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?)?(?::(\d{1,5}))?(\/[^?#$]*)?$/;

/**
 * auth-url (annotations/authreq, nginx.tmpl L1006-1127): an auth_request subrequest to the URL
 * (exactly that path) with the client's headers and no body; 2xx lets the request through, 401
 * and 403 are returned, anything else is a 500. Envoy Gateway's HTTP extAuth with pathOverride
 * calls the same path; it sends only some headers (Host, Method, Path, Content-Length,
 * Authorization, plus headersToExtAuth) and lets through 200 only.
 */
function externalAuth(m: IngressModel, a: ReturnType<typeof reader>, report: Report, url: string): Record<string, unknown> | undefined {
  const u = SERVICE_URL.exec(url);
  if (u && u[3] === undefined) {
    // nginx resolves the auth host with its own resolver, which has no search domains.
    report('auth-url', {
      severity: 'error',
      message: `auth-url="${url}" names a bare Service; nginx resolves it without search domains, so the auth subrequest most likely failed (500 on every request); no external authorization was generated and the paths are reachable without it`,
      remediation: 'Write the auth Service as <service>.<namespace>.svc.cluster.local, then regenerate.',
    });
    a.use('auth-url');
    return undefined;
  }
  if (!u) {
    report('auth-url', {
      severity: 'error',
      message: `auth-url="${url}" is not an http URL of an in-cluster Service (svc, svc.namespace.svc[.cluster.local]) without nginx variables or a query, so no external authorization was generated and the paths are reachable without it`,
      remediation: 'Point auth-url at the auth Service (http://<service>.<namespace>.svc.cluster.local:<port>/<path>) and regenerate, or write the SecurityPolicy extAuth by hand (an external URL needs an Envoy Gateway Backend).',
    });
    a.use('auth-url');
    return undefined;
  }
  a.use('auth-url');
  const backendRef: Record<string, unknown> = { name: u[1]! };
  if (u[3] !== undefined && u[3] !== m.namespace) backendRef.namespace = u[3];
  backendRef.port = u[5] ? Number(u[5]) : 80;
  const http: Record<string, unknown> = { backendRefs: [backendRef], pathOverride: u[6] || '/' };
  if (!u[6]) {
    // proxy_pass without a URI part passes the subrequest's own URI (/_external-auth-<id>).
    report('auth-url', { severity: 'info', message: 'auth-url has no path, so nginx called the auth service with its internal location path (/_external-auth-<id>); the policy calls /' });
  }
  const responseHeaders = a.get('auth-response-headers');
  if (responseHeaders !== undefined) {
    a.use('auth-response-headers');
    const names = [...new Set(responseHeaders.split(',').map((h) => h.trim()).filter(Boolean))];
    const bad = names.filter((h) => !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(h));
    if (bad.length > 0) {
      report('auth-response-headers', { severity: 'error', message: `auth-response-headers has invalid header names (${bad.join(', ')}); ingress-nginx answered every path with 503`, remediation: 'Fix the list, then regenerate.' });
    }
    const good = names.filter((h) => !bad.includes(h));
    if (good.length > 0) {
      http.headersToBackend = good;
      report('auth-response-headers', {
        severity: 'warning',
        message: `nginx always replaced ${good.join(', ')} with the auth service\u2019s values (empty when it sent none); Envoy Gateway copies them only when the auth response has them, so a client can send its own`,
        remediation: `Make sure the auth service always answers with these headers, or strip them from client requests (ClientTrafficPolicy headers.earlyRequestHeaders.remove on the host\u2019s listener).`,
      });
    }
  }
  report('auth-url', {
    severity: 'warning',
    message:
      'the SecurityPolicy calls the same auth path, but Envoy lets a request through only on 200 (nginx: any 2xx; oauth2-proxy answers 202), sends the auth service only Host, Method, Path, Content-Length, Authorization and Cookie (nginx sent every client header, plus X-Original-URL, X-Original-Method and X-Auth-Request-Redirect)',
    remediation: 'Check the auth service answers 200 and needs no other headers (add them to extAuth.headersToExtAuth); for oauth2-proxy prefer a SecurityPolicy oidc.',
  });
  return { http, headersToExtAuth: ['cookie'] };
}

/**
 * Listener-level ClientTrafficPolicies: per HTTPS host, the first Ingress (controller order)
 * with a value for each server-level annotation wins, as in ingress-nginx (CTL L766-775, L1439).
 */
export function envoyGatewayListenerPolicies(
  ctx: ProviderContext,
  ordered: readonly IngressModel[],
  consumedOf: (m: IngressModel) => Set<string>,
  isCanary: (m: IngressModel) => boolean,
  /** Every name the host's server answers to (the host and its server-alias names). */
  namesOf: (gatewayKey: string, host: string) => string[],
): void {
  interface HostSettings {
    gatewayKey: string;
    host: string;
    /** The Ingress whose value nginx used, per annotation group. */
    ciphersFrom?: IngressModel;
    authTlsFrom?: IngressModel;
    ciphers?: string[];
    validation?: Record<string, unknown>;
    passCert?: boolean;
    provenance: PolicyIntent['provenance'];
  }
  const hosts = new Map<string, HostSettings>();
  const hostOf = (m: IngressModel, host: string): HostSettings => {
    const key = `${ctx.gatewayKeyFor(m)} ${host}`;
    let h = hosts.get(key);
    if (!h) hosts.set(key, (h = { gatewayKey: ctx.gatewayKeyFor(m), host, provenance: [] }));
    return h;
  };
  for (const m of ordered) {
    const a = reader(m, consumedOf(m));
    const report = reporterFor(ctx, m);
    // createServers takes ssl-ciphers from non-canary Ingresses only, but client-certificate
    // settings from every Ingress of the host, canaries included (controller.go L737-775, L1404).
    const ciphers = isCanary(m) ? undefined : a.get('ssl-ciphers');
    const caSecret = a.get('auth-tls-secret');
    if (ciphers === undefined && caSecret === undefined) continue;
    const ruleHosts = [...new Set(m.rules.map((r) => r.host).filter((h) => h !== ''))];
    // Which hosts take this Ingress's value: those where no earlier Ingress set it.
    const winsCiphers = ciphers === undefined ? [] : ruleHosts.filter((host) => !hostOf(m, host).ciphersFrom);
    const winsAuthTls = caSecret === undefined ? [] : ruleHosts.filter((host) => !hostOf(m, host).authTlsFrom);
    for (const host of winsCiphers) hostOf(m, host).ciphersFrom = m;
    for (const host of winsAuthTls) hostOf(m, host).authTlsFrom = m;
    const ignoredOn = (k: string, won: string[], field: 'ciphersFrom' | 'authTlsFrom') => {
      const lost = ruleHosts.filter((host) => !won.includes(host));
      if (lost.length === 0) return;
      const by = lost.map((host) => `${host} (${hostOf(m, host)[field]!.namespace}/${hostOf(m, host)[field]!.name})`).join(', ');
      report(k, { severity: 'info', message: `${k} had no effect on ${by}: it is a server setting and ingress-nginx takes it from the first Ingress of the host that sets it` });
    };

    let parsedCiphers: string[] | undefined;
    if (ciphers !== undefined) {
      a.use('ssl-ciphers');
      ignoredOn('ssl-ciphers', winsCiphers, 'ciphersFrom');
      if (winsCiphers.length > 0) {
          const listed = cipherList(ciphers);
        const unknown = (listed ?? []).filter((c) => !ENVOY_GATEWAY_CIPHERS.has(c));
        parsedCiphers = listed?.filter((c) => ENVOY_GATEWAY_CIPHERS.has(c));
        if (listed && unknown.length > 0) {
          report('ssl-ciphers', {
            severity: 'warning',
            message: `ssl-ciphers lists suites Envoy Gateway does not accept (${unknown.join(', ')}; an unknown suite makes every route of the listener answer 500), so ${parsedCiphers!.length > 0 ? 'they were left out' : 'no cipher list was generated'}`,
          });
          if (parsedCiphers!.length === 0) parsedCiphers = undefined;
        } else if (parsedCiphers === undefined) {
          report('ssl-ciphers', {
            severity: 'warning',
            message: `ssl-ciphers="${ciphers}" uses OpenSSL cipher-string rules (keywords, !, +, @) that Envoy\u2019s cipher list does not accept; it was not translated`,
            remediation: 'List the cipher suite names explicitly (e.g. ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256).',
          });
        }
      }
    }
    let validation: Record<string, unknown> | undefined;
    let passCert = false;
    if (caSecret !== undefined) {
      a.use('auth-tls-secret');
      for (const k of ['auth-tls-verify-client', 'auth-tls-pass-certificate-to-upstream']) if (a.get(k) !== undefined) a.use(k);
      ignoredOn('auth-tls-secret', winsAuthTls, 'authTlsFrom');
      if (winsAuthTls.length > 0) ({ validation, passCert } = clientValidation(m, a, report, caSecret));
    }
    for (const host of ruleHosts) {
      const h = hostOf(m, host);
      let used = false;
      if (winsCiphers.includes(host) && parsedCiphers) {
        h.ciphers = parsedCiphers;
        used = true;
      }
      if (winsAuthTls.includes(host) && validation) {
        h.validation = validation;
        h.passCert = passCert;
        used = true;
      }
      if (used) h.provenance.push(provenanceOf(m, ['metadata', 'annotations']));
    }
  }
  for (const h of hosts.values()) {
    if (!h.ciphers && !h.validation) continue;
    const spec: Record<string, unknown> = {};
    const headers: Record<string, unknown> = {};
    if (h.passCert) headers.xForwardedClientCert = { mode: 'SanitizeSet', certDetailsToAdd: ['Cert'] };
    // nginx always set these on requests to the backend (nginx.tmpl L1286-1292), so a client
    // could not send its own; Envoy passes client headers through unless removed.
    if (h.validation) headers.earlyRequestHeaders = { remove: ['ssl-client-cert', 'ssl-client-issuer-dn', 'ssl-client-subject-dn', 'ssl-client-verify'] };
    if (Object.keys(headers).length > 0) spec.headers = headers;
    const tls: Record<string, unknown> = {};
    if (h.ciphers) tls.ciphers = h.ciphers;
    if (h.validation) tls.clientValidation = h.validation;
    spec.tls = tls;
    ctx.ir.policies.push({
      target: 'envoy-gateway',
      kind: 'ClientTrafficPolicy',
      namespace: '',
      name: `https-${h.host.replace(/\*/g, 'wildcard')}`,
      attach: { gatewayKey: h.gatewayKey, hostnames: namesOf(h.gatewayKey, h.host) },
      spec,
      provenance: h.provenance,
    });
  }
}

/** auth-tls-secret and its companions, for the Ingress nginx takes them from. */
function clientValidation(m: IngressModel, a: ReturnType<typeof reader>, report: Report, caSecret: string): { validation?: Record<string, unknown>; passCert: boolean } {
  const verify = a.get('auth-tls-verify-client') ?? 'on';
  const parts = caSecret.split('/');
  if (parts.length !== 2 || !DNS_LABEL.test(parts[0]!) || parts[1] === '' || parts[0] !== m.namespace) {
    report('auth-tls-secret', {
      severity: 'error',
      message: `auth-tls-secret="${caSecret}" must be namespace/name in the Ingress\u2019s namespace; ingress-nginx answered the whole host with 403, which was not reproduced`,
      remediation: 'Fix the reference, then regenerate.',
    });
    return { passCert: false };
  }
  const modes: Record<string, string> = { on: 'RequireAndVerify', optional: 'VerifyIfGiven', optional_no_ca: 'Request' };
  if (verify === 'off') {
    report('auth-tls-verify-client', { severity: 'info', message: 'auth-tls-verify-client off: nginx did not ask for client certificates, so no client validation was generated' });
    return { passCert: false };
  }
  let mode = modes[verify];
  if (mode === undefined) {
    report('auth-tls-verify-client', { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `auth-tls-verify-client="${verify}" is not on, off, optional or optional_no_ca; ingress-nginx used on` });
    mode = 'RequireAndVerify';
  }
  report('auth-tls-secret', {
    severity: 'info',
    message:
      'nginx answered a failed client-certificate check with an HTTP 400 page, limited the chain to auth-tls-verify-depth (default 1) and told the backend the result in ssl-client-verify, ssl-client-subject-dn and ssl-client-issuer-dn; Envoy fails the TLS handshake, has no depth limit, and the policy strips those headers from client requests (backends that read them must use x-forwarded-client-cert)',
  });
  const validation = { mode, caCertificateRefs: [{ kind: 'Secret', name: parts[1]!, namespace: parts[0]! }] };
  const pass = a.get('auth-tls-pass-certificate-to-upstream');
  const passCert = pass !== undefined && parseGoBool(pass) === true;
  if (passCert) {
    report('auth-tls-pass-certificate-to-upstream', {
      severity: 'warning',
      message: 'nginx sent the client certificate in the ssl-client-cert header (URL-encoded PEM); Envoy Gateway sends it in x-forwarded-client-cert as Cert="<URL-encoded PEM>" among other fields',
      remediation: 'Change the backend to read the certificate from x-forwarded-client-cert.',
    });
  }
  return { validation, passCert };
}

/** The cipher suites Envoy Gateway v1.9.0 accepts (internal/gatewayapi/tls.go validCipherSuites). */
const ENVOY_GATEWAY_CIPHERS = new Set([
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-RSA-CHACHA20-POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-SHA', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'ECDHE-RSA-AES128-SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'AES128-GCM-SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'AES128-SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA',
  'ECDHE-ECDSA-AES256-SHA', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'ECDHE-RSA-AES256-SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'AES256-GCM-SHA384', 'TLS_RSA_WITH_AES_256_GCM_SHA384', 'AES256-SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA',
]);

const CIPHER_KEYWORDS = /^(ALL|DEFAULT|HIGH|MEDIUM|LOW|COMPLEMENTOFDEFAULT|COMPLEMENTOFALL|EXPORT|eNULL|aNULL|NULL|SSLv3|TLSv1(\.[0-3])?|FIPS|SUITEB\w*|k\w+|a\w+|AES|AESGCM|CHACHA20|3DES|RC4|MD5|SHA1?|SHA256|SHA384|CAMELLIA|ARIA|PSK|SRP|ECDH|ECDHE|EECDH|EDH|DHE|ECDSA|RSA)$/;

/** An nginx/OpenSSL cipher string as an explicit list of suite names, or undefined when it uses rules. */
function cipherList(v: string): string[] | undefined {
  const items = v.split(':').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) return undefined;
  for (const i of items) {
    if (/[!+@\-]/.test(i[0]!) || i.includes('+') || CIPHER_KEYWORDS.test(i) || !/^[A-Z0-9][A-Z0-9_-]*$/.test(i)) return undefined;
  }
  return items;
}
