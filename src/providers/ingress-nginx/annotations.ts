/**
 * The ingress-nginx annotations gateway-shift translates, read from one Ingress, and their effect
 * on that Ingress's routes. Semantics from controller-v1.15.1 (internal/ingress/annotations,
 * rootfs/etc/nginx/lua/lua_ingress.lua, the nginx template); see the rule table for the rest.
 */
import type { RouteIntent, RuleIntent } from '../../ir/types.js';
import type { IngressModel } from '../common/ingress-model.js';
import { annotationField, parseGoBool, toGatewayDuration } from '../common/translate.js';
import type { ProviderContext } from '../types.js';
import { NGINX_PREFIX } from './rules.js';
import { DNS_SUBDOMAIN, HTTP_HEADER_NAME } from '../../ir/k8s-names.js';
import type { RegexSettings } from './regex.js';
import { NO_TLS_REDIRECT_PREFIX } from '../common/ingress-translator.js';


const GATEWAY_REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
/** lua_ingress.lua strips a trailing '/' from the request URI of its HTTPS redirect (without preserve-trailing-slash). */
export const HTTPS_REDIRECT_SLASH = 'nginx dropped a trailing "/" from the redirected path (/docs/ went to https://<host>/docs), a Gateway API redirect keeps the path as it is';
/** validators.go URLIsValidRegex, which permanent-redirect and temporal-redirect must pass. */
const NGINX_URL = /^[-._~a-zA-Z0-9/:,?&=]*$/;

export interface FixedRedirect {
  key: string;
  scheme?: 'http' | 'https';
  hostname?: string;
  port?: number;
  path: string;
  statusCode: number;
}

export interface NginxLocationConfig {
  consumed: Set<string>;
  /** ssl-redirect (default true, the ConfigMap default). */
  sslRedirect: boolean;
  forceSslRedirect: boolean;
  redirect?: FixedRedirect;
  appRoot?: string;
  upstreamVhost?: string;
  regex: RegexSettings;
  cors?: Record<string, unknown>;
  sessionPersistence?: Record<string, unknown>;
  fromToWww: boolean;
  /** mirror-target as a RequestMirror backendRef (a Service of the Ingress's namespace). */
  mirror?: { name: string; port: number };
  /** backend-protocol, upper-cased (ingress-nginx's validator is case-insensitive). */
  backendProtocol?: 'HTTP' | 'HTTPS' | 'GRPC' | 'GRPCS';
  /** proxy-read/send-timeout as a Gateway API request timeout (standard target only). */
  requestTimeout?: string;
  /** server-alias as ingress-nginx parsed it (names trimmed, de-duplicated, sorted); server level, see server.ts. */
  serverAliases?: string[];
  /** ssl-passthrough (default false); server level, see server.ts. */
  sslPassthrough: boolean;
}

/**
 * The characters ingress-nginx accepts in a server name (validators.go ValidateServerName:
 * IsValidRegex, BasicChars plus regex syntax); anything else makes it refuse the Ingress.
 */
const NGINX_SERVER_NAME = /^[-._~a-zA-Z0-9/:^$[\](){}*+?|&=\\]*$/;

/** validators.go RegexPathWithCapture (x-forwarded-prefix). */
const NGINX_PATH_WITH_CAPTURE = /^\/?[-._~a-zA-Z0-9/:$]*$/;

/**
 * The first annotation whose validation fails in ingress-nginx's parsers, which makes the
 * controller refuse the whole Ingress (annotations.go Extract), canary or not.
 */
export function refusingAnnotation(m: IngressModel): { key: string; why: string } | undefined {
  const a = (k: string) => m.annotations[NGINX_PREFIX + k];
  const isBool = (v: string) => /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(v);
  const tr = a('temporal-redirect');
  const pr = a('permanent-redirect');
  if (tr !== undefined && !NGINX_URL.test(tr)) return { key: 'temporal-redirect', why: `"${tr}" has characters its URL validator refuses` };
  if (tr === undefined && pr !== undefined && !NGINX_URL.test(pr)) return { key: 'permanent-redirect', why: `"${pr}" has characters its URL validator refuses` };
  const www = a('from-to-www-redirect');
  if (www !== undefined && www !== '' && !isBool(www)) return { key: 'from-to-www-redirect', why: `"${www}" is not a boolean` };
  const xfp = a('x-forwarded-prefix');
  if (xfp !== undefined && !NGINX_PATH_WITH_CAPTURE.test(xfp)) return { key: 'x-forwarded-prefix', why: `"${xfp}" has characters its validator refuses` };
  const vhost = a('upstream-vhost');
  if (vhost !== undefined && !NGINX_SERVER_NAME.test(vhost)) return { key: 'upstream-vhost', why: `"${vhost}" is not a server name` };
  const aliases = a('server-alias');
  if (aliases !== undefined && aliases.trim() !== '' && aliases.split(',').some((x) => !NGINX_SERVER_NAME.test(x.trim()))) return { key: 'server-alias', why: 'a name has characters its validator refuses' };
  const pt = a('ssl-passthrough');
  if (pt !== undefined && pt !== '' && !isBool(pt)) return { key: 'ssl-passthrough', why: `"${pt}" is not a boolean` };
  return undefined;
}

/** A gRPC service name as GRPCRoute accepts it. */
const GRPC_SERVICE = /^\.?[A-Za-z_][A-Za-z_0-9]*(\.[A-Za-z_][A-Za-z_0-9]*)*$/;
const GRPC_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;

const CORS_DEFAULT_METHODS = 'GET, PUT, POST, DELETE, PATCH, OPTIONS';
const CORS_DEFAULT_HEADERS = 'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization';
const CORS_ORIGIN = /^(\*|https?:\/\/((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:[0-9]{1,5})?)$/;
const GATEWAY_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', '*']);

type Report = ProviderContext['report'];

export function reporterFor(ctx: ProviderContext, m: IngressModel) {
  return (key: string, f: { ruleId?: string; severity: 'error' | 'warning' | 'info'; message: string; remediation?: string }): void => {
    const full = NGINX_PREFIX + key;
    const finding: Parameters<Report>[0] = {
      ruleId: f.ruleId ?? `ingress-nginx/${key}`,
      severity: f.severity,
      message: f.message,
      field: annotationField(full),
      doc: m.doc,
      path: ['metadata', 'annotations', full],
    };
    if (f.remediation) finding.remediation = f.remediation;
    ctx.report(finding);
  };
}

/** Reads the translated annotations of one Ingress; invalid values are reported and fall back as nginx did. */
export function readLocationConfig(ctx: ProviderContext, m: IngressModel): NginxLocationConfig {
  const a = (k: string): string | undefined => {
    const v = m.annotations[NGINX_PREFIX + k];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const report = reporterFor(ctx, m);
  const cfg: NginxLocationConfig = { consumed: new Set(), sslRedirect: true, forceSslRedirect: false, regex: { useRegex: false }, fromToWww: false, sslPassthrough: false };
  const use = (k: string) => cfg.consumed.add(NGINX_PREFIX + k);
  const bool = (k: string, dflt: boolean): boolean => {
    const v = a(k);
    if (v === undefined) return dflt;
    use(k);
    const b = parseGoBool(v);
    if (b === undefined) {
      report(k, { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `${NGINX_PREFIX}${k}="${v}" is not a boolean; ingress-nginx used its default (${dflt})` });
      return dflt;
    }
    return b;
  };

  cfg.sslRedirect = bool('ssl-redirect', true);
  cfg.fromToWww = bool('from-to-www-redirect', false);
  cfg.forceSslRedirect = bool('force-ssl-redirect', false);
  if (a('preserve-trailing-slash') !== undefined) {
    const keep = bool('preserve-trailing-slash', false);
    if (!keep) {
      report('preserve-trailing-slash', {
        severity: 'info',
        message: 'ingress-nginx removed a trailing slash from the path of its HTTPS redirect; Gateway API redirects keep the path unchanged',
      });
    }
  }

  const temporal = a('temporal-redirect');
  const permanent = a('permanent-redirect');
  if (temporal !== undefined || permanent !== undefined) {
    const key = temporal !== undefined ? 'temporal-redirect' : 'permanent-redirect';
    const url = (temporal ?? permanent)!;
    const codeKey = `${key}-code`;
    const dflt = temporal !== undefined ? 302 : 301;
    const max = temporal !== undefined ? 307 : 308;
    use(key);
    let code = dflt;
    const rawCode = a(codeKey);
    if (rawCode !== undefined) {
      use(codeKey);
      const n = /^\d+$/.test(rawCode) ? Number(rawCode) : NaN;
      if (!Number.isInteger(n) || n < 300 || n > max) {
        report(codeKey, { severity: 'warning', message: `${NGINX_PREFIX}${codeKey}="${rawCode}" is outside 300-${max}; ingress-nginx used ${dflt}` });
      } else if (!GATEWAY_REDIRECT_CODES.has(n)) {
        report(codeKey, {
          severity: 'warning',
          message: `status ${n} is not one Gateway API redirects can use (301, 302, 303, 307, 308); ${dflt} was used`,
          remediation: 'Pick one of 301, 302, 303, 307 or 308.',
        });
      } else code = n;
    }
    if (temporal !== undefined && permanent !== undefined) {
      use('permanent-redirect');
      if (a('permanent-redirect-code') !== undefined) use('permanent-redirect-code');
      report('permanent-redirect', { severity: 'info', message: `temporal-redirect is also set and wins, as in ingress-nginx; permanent-redirect had no effect` });
    }
    const parsed = parseRedirectUrl(url);
    if (!NGINX_URL.test(url)) {
      // validators.go URLIsValidRegex: a validation error, so Extract fails and the controller
      // does not load the Ingress at all (annotations.go).
      report(key, {
        ruleId: 'ingress-nginx/invalid-value',
        severity: 'warning',
        message: `${NGINX_PREFIX}${key}="${url}" has characters ingress-nginx's URL validator refuses (only letters, digits and - . _ ~ / : , ? & =), so it refused this whole Ingress; the redirect was not translated, the rest of the Ingress was`,
        remediation: 'Write the URL without $, %, # or spaces (nginx variables and capture groups are not allowed here), or remove the annotation.',
      });
    } else if (temporal !== undefined && !/^https?:\/\//i.test(url)) {
      // redirect.go isValidURL: a temporal-redirect that is not an http(s) URL makes Parse fail,
      // and the whole redirect group (from-to-www-redirect included) is left out.
      report(key, {
        severity: 'warning',
        message: `${NGINX_PREFIX}${key}="${url}" is not an http or https URL, so ingress-nginx dropped its redirect settings${cfg.fromToWww ? ' (from-to-www-redirect included)' : ''}; neither was translated`,
        remediation: 'Use an absolute http(s) URL, or remove the annotation.',
      });
      cfg.fromToWww = false;
    } else if (typeof parsed === 'string') {
      report(key, { severity: 'error', message: `${NGINX_PREFIX}${key}="${url}" cannot be a Gateway API redirect: ${parsed}; the paths were translated without it`, remediation: 'Write the RequestRedirect filter by hand.' });
    } else {
      if (parsed.query) {
        report(key, {
          severity: 'warning',
          message: `the redirect target has a query string ("?${parsed.query}"), which Gateway API RequestRedirect cannot set; the redirect keeps the request's own query instead`,
          remediation: 'Move the query parameters into the path, or handle them in the target application.',
        });
      }
      cfg.redirect = { key, path: parsed.path, statusCode: code, ...(parsed.scheme ? { scheme: parsed.scheme } : {}), ...(parsed.hostname ? { hostname: parsed.hostname } : {}), ...(parsed.port ? { port: parsed.port } : {}) };
      if (!parsed.query) report(key, {
        ruleId: 'ingress-nginx/fixed-redirect-query',
        severity: 'info',
        message: `ingress-nginx answered with the URL exactly as written; Gateway API redirects keep the request's query string (${url}?a=1 instead of ${url})`,
      });
    }
  }

  const appRoot = a('app-root');
  if (appRoot !== undefined) {
    use('app-root');
    if (!/^\/[-._~a-zA-Z0-9/:$]*$/.test(appRoot) || /\/\/|\/\.\.?(\/|$)/.test(appRoot)) {
      report('app-root', { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `${NGINX_PREFIX}app-root="${appRoot}" is not an absolute path; ingress-nginx ignored it` });
    } else cfg.appRoot = appRoot;
  }

  cfg.regex.useRegex = bool('use-regex', false);
  const rewrite = a('rewrite-target');
  if (rewrite !== undefined) {
    use('rewrite-target');
    // RegexPathWithCapture: an invalid target is dropped by ingress-nginx (no rewrite at all).
    if (/^\/?[-._~a-zA-Z0-9/:$]*$/.test(rewrite)) cfg.regex.rewriteTarget = rewrite.startsWith('/') ? rewrite : `/${rewrite}`;
    else report('rewrite-target', { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `${NGINX_PREFIX}rewrite-target="${rewrite}" has characters ingress-nginx refuses (such as ? & = { }); it ignored the rewrite, and so does the translation` });
  }
  const xfp = a('x-forwarded-prefix');
  if (xfp !== undefined) {
    use('x-forwarded-prefix');
    if (cfg.regex.rewriteTarget === undefined) {
      report('x-forwarded-prefix', { severity: 'info', message: 'x-forwarded-prefix has an effect only together with rewrite-target (ingress-nginx sets the header in its rewrite block), so it had none and was not translated' });
    } else if (xfp.includes('$')) {
      report('x-forwarded-prefix', { severity: 'warning', message: `x-forwarded-prefix "${xfp}" refers to capture groups; a header modifier can only set a fixed value, so it was not translated` });
    } else cfg.regex.xForwardedPrefix = xfp;
  }

  const corsKeys = ['cors-allow-origin', 'cors-allow-methods', 'cors-allow-headers', 'cors-expose-headers', 'cors-allow-credentials', 'cors-max-age'];
  const enableCors = bool('enable-cors', false);
  for (const k of corsKeys) if (a(k) !== undefined) use(k);
  if (!enableCors) {
    for (const k of corsKeys) if (a(k) !== undefined) report(k, { severity: 'info', message: `${k} has no effect without enable-cors: "true", so it was not translated` });
  } else {
    cfg.cors = readCors(a, report, bool);
  }

  const affinity = a('affinity');
  // With --target envoy-gateway, cookie affinity is a consistent hash on the cookie (see
  // envoy-gateway.ts), which keeps nginx's cookie attributes and its default "balanced" mode.
  if (affinity === 'cookie' && ctx.target === 'envoy-gateway') {
    // handled there
  } else if (affinity !== undefined) {
    use('affinity');
    const cookieKeys = ['session-cookie-name', 'session-cookie-expires', 'session-cookie-max-age'];
    if (affinity !== 'cookie') {
      report('affinity', { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `affinity "${affinity}" is not "cookie", the only type ingress-nginx supports; it had no affinity` });
    } else if (ctx.channel !== 'experimental') {
      report('affinity', {
        severity: 'warning',
        message: 'cookie session affinity becomes sessionPersistence, which is in the experimental channel only; it was not translated',
        remediation: 'Convert with --channel experimental if your implementation supports sessionPersistence, or use its own affinity policy.',
      });
    } else {
      for (const k of cookieKeys) if (a(k) !== undefined) use(k);
      const sp: Record<string, unknown> = { sessionName: a('session-cookie-name') ?? 'INGRESSCOOKIE', type: 'Cookie' };
      const life = a('session-cookie-max-age') ?? a('session-cookie-expires');
      if (life !== undefined && /^[1-9]\d*$/.test(life)) {
        sp.absoluteTimeout = toGatewayDuration(Number(life));
        sp.cookieConfig = { lifetimeType: 'Permanent' };
      } else {
        if (life !== undefined) report(a('session-cookie-max-age') !== undefined ? 'session-cookie-max-age' : 'session-cookie-expires', { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `cookie lifetime "${life}" is not a positive number of seconds; a session cookie was used, as nginx did` });
        sp.cookieConfig = { lifetimeType: 'Session' };
      }
      cfg.sessionPersistence = sp;
      report('affinity', {
        severity: 'info',
        message: 'cookie affinity became sessionPersistence on these rules; ingress-nginx kept it per Service (every path to the Service was sticky) and set the cookie path to the Ingress path, which Gateway API leaves to the implementation',
      });
    }
  }

  const mirror = a('mirror-target');
  if (mirror !== undefined) {
    use('mirror-target');
    cfg.mirror = readMirror(m, mirror, (message) => report('mirror-target', { severity: 'warning', message, remediation: 'Point a RequestMirror filter at a Service by hand (mirrors to external URLs need an implementation-specific backend).' }));
    for (const k of ['mirror-request-body', 'mirror-host']) {
      if (a(k) === undefined) continue;
      use(k);
      if (k === 'mirror-request-body' && a(k) === 'on') continue; // nginx's default, and Gateway API mirrors carry the body
      report(k, { severity: 'warning', message: `${k}="${a(k)}" has no RequestMirror equivalent and was not translated` });
    }
  }

  // proxy-read-timeout / proxy-send-timeout limit the gap between two reads from / writes to the
  // backend; nginx has no limit on a whole request. Standard Gateway API has only totals, so the
  // larger of the two becomes timeouts.request: the same for any response that completes within
  // it, stricter for long streams (reported). --target envoy-gateway has an idle timeout instead.
  if (ctx.target === 'standard') {
    const secs = (k: string): number | undefined => {
      const v = a(k);
      if (v === undefined) return undefined;
      use(k);
      if (!/^\d+$/.test(v) || Number(v) === 0) {
        report(k, { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `${k}="${v}" is not a whole number of seconds; ingress-nginx used its default (60)` });
        return undefined;
      }
      return Number(v);
    };
    const read = secs('proxy-read-timeout');
    const send = secs('proxy-send-timeout');
    if (read !== undefined || send !== undefined) {
      const t = Math.max(read ?? 60, send ?? 60);
      cfg.requestTimeout = toGatewayDuration(t);
      report(read !== undefined ? 'proxy-read-timeout' : 'proxy-send-timeout', {
        severity: 'info',
        message: `nginx limited the time between two reads from (or writes to) the backend, not the whole request; Gateway API has only totals, so each request now gets ${cfg.requestTimeout} in all (timeouts.request): responses that stream for longer are cut`,
        remediation: 'For long downloads, streams or WebSockets, raise the timeout or use an implementation idle timeout (e.g. --target envoy-gateway).',
      });
    }
  }

  // proxy-http-version: 1.1 (the default) is what Gateway API implementations speak to HTTP
  // backends; 1.0 (no keep-alive, no chunked bodies) has no equivalent.
  const httpVersion = a('proxy-http-version');
  if (httpVersion !== undefined) {
    use('proxy-http-version');
    if (httpVersion === '1.0') {
      report('proxy-http-version', {
        severity: 'warning',
        message: 'proxy-http-version 1.0 (no keep-alive or chunked bodies to the backend) has no Gateway API equivalent; implementations speak HTTP/1.1 (or HTTP/2 with appProtocol) to backends',
        remediation: 'Check the backend accepts HTTP/1.1 requests.',
      });
    } else if (httpVersion !== '1.1') {
      report('proxy-http-version', { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `proxy-http-version="${httpVersion}" is not 1.0 or 1.1; ingress-nginx used 1.1, which is what the backends now get` });
    }
  }

  const proto = a('backend-protocol');
  if (proto !== undefined) {
    use('backend-protocol');
    const up = proto.toUpperCase();
    if (up === 'HTTP' || up === 'HTTPS' || up === 'GRPC' || up === 'GRPCS') {
      cfg.backendProtocol = up;
      // TLS to the backend (and its BackendTLSPolicy) is decided in backend-tls.ts, with proxy-ssl-*.
    } else {
      report('backend-protocol', {
        severity: 'warning',
        message: `backend-protocol ${proto} (${up === 'AUTO_HTTP' ? "the client's scheme" : up === 'FCGI' ? 'FastCGI' : 'unknown'}) has no Gateway API equivalent; the paths were translated as plain HTTP`,
      });
    }
  }

  // server-alias (alias/main.go Parse): a comma list; each name trimmed, empty ones skipped,
  // duplicates removed, sorted; an empty value is no alias. A name with other characters than
  // ValidateServerName allows is a validation error: ingress-nginx does not load the Ingress.
  const aliases = m.annotations[NGINX_PREFIX + 'server-alias'];
  if (aliases !== undefined) {
    use('server-alias');
    const names = aliases.split(',').map((x) => x.trim());
    const bad = names.find((x) => !NGINX_SERVER_NAME.test(x));
    if (bad !== undefined) {
      report('server-alias', {
        ruleId: 'ingress-nginx/invalid-value',
        severity: 'warning',
        message: `server-alias "${bad}" has characters ingress-nginx does not accept in a server name, so it refused this whole Ingress (annotation validation); the aliases were not translated, the rest of the Ingress was`,
        remediation: 'Fix the alias names (letters, digits, ".", "-", "*" wildcards or a "~" regex), or remove the annotation.',
      });
    } else cfg.serverAliases = [...new Set(names.filter((x) => x !== ''))].sort();
  }
  // ssl-passthrough: Go's ParseBool on the raw value (an empty value is false); anything else is
  // a validation error that makes ingress-nginx refuse the Ingress.
  const passthrough = m.annotations[NGINX_PREFIX + 'ssl-passthrough'];
  if (passthrough !== undefined) {
    use('ssl-passthrough');
    const b = passthrough === '' ? false : parseGoBool(passthrough);
    if (b === undefined) {
      report('ssl-passthrough', {
        ruleId: 'ingress-nginx/invalid-value',
        severity: 'warning',
        message: `ssl-passthrough "${passthrough}" is not a boolean, so ingress-nginx refused this whole Ingress (annotation validation); it was translated without passthrough`,
        remediation: 'Set "true" or "false".',
      });
    } else cfg.sslPassthrough = b;
  }

  const vhost = a('upstream-vhost');
  if (vhost !== undefined) {
    use('upstream-vhost');
    if (DNS_SUBDOMAIN.test(vhost.toLowerCase())) cfg.upstreamVhost = vhost.toLowerCase();
    else {
      report('upstream-vhost', {
        severity: 'warning',
        message: `upstream-vhost "${vhost}" is not a plain host name (nginx variables or a port?); Gateway API URLRewrite hostname takes a DNS name only, so it was not translated`,
        remediation: 'Set a URLRewrite hostname by hand if a fixed name works.',
      });
    }
  }
  return cfg;
}

/** Splits a redirect URL as RequestRedirect needs it; a string when it cannot. */
export function parseRedirectUrl(url: string): { scheme?: 'http' | 'https'; hostname?: string; port?: number; path: string; query?: string } | string {
  if (url.startsWith('/')) {
    const [path, query] = url.split('?', 2) as [string, string | undefined];
    return query ? { path, query } : { path };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'it is not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `the scheme ${u.protocol.slice(0, -1)} is not http or https`;
  if (u.username || u.password) return 'it has user information';
  if (u.hash) return 'it has a fragment';
  const out: { scheme: 'http' | 'https'; hostname: string; port?: number; path: string; query?: string } = {
    scheme: u.protocol === 'https:' ? 'https' : 'http',
    hostname: u.hostname,
    path: u.pathname || '/',
  };
  if (!DNS_SUBDOMAIN.test(u.hostname)) return `the host ${u.hostname} is not a DNS name`;
  if (u.port) out.port = Number(u.port);
  if (u.search.length > 1) out.query = u.search.slice(1);
  return out;
}

export function redirectFilter(r: FixedRedirect): RuleIntent['filters'][number] {
  const rr: Record<string, unknown> = {};
  if (r.scheme) rr.scheme = r.scheme;
  if (r.hostname) rr.hostname = r.hostname;
  rr.path = { type: 'ReplaceFullPath', replaceFullPath: r.path };
  if (r.port) rr.port = r.port;
  rr.statusCode = r.statusCode;
  return { type: 'RequestRedirect', requestRedirect: rr };
}

/** Applies one Ingress's translated annotations to one of its routes. */
export function decorateRoute(ctx: ProviderContext, m: IngressModel, cfgIn: NginxLocationConfig, route: RouteIntent, host: { tls: boolean }): void {
  const report = reporterFor(ctx, m);
  let cfg = cfgIn;
  if (m.rules.length === 0 && route.hostnames.length === 0) {
    // An Ingress with only a defaultBackend becomes the catch-all server's root location, with
    // its annotations except the redirect and rewrite ones (controller.go createServers
    // L1343-1358, "Redirect and rewrite can affect the catch all behavior, skip for now").
    const skipped = (['temporal-redirect', 'permanent-redirect', 'app-root', 'force-ssl-redirect'] as const).filter((k) => m.annotations[NGINX_PREFIX + k] !== undefined);
    for (const k of skipped) {
      report(k, { severity: 'info', message: `${k} had no effect: ingress-nginx does not apply redirect and rewrite annotations to the catch-all default backend of an Ingress without rules; it was not translated either` });
    }
    const { redirect: _redirect, appRoot: _appRoot, ...rest } = cfg;
    cfg = { ...rest, forceSslRedirect: false };
  }
  if (cfg.redirect) {
    // `return <code> <url>` runs in nginx's rewrite phase, before the Lua HTTPS redirect: it
    // answers on HTTP and HTTPS alike, and no request reaches the backend.
    const filter = redirectFilter(cfg.redirect);
    route.rules = route.rules.map((r) => ({ matches: r.matches, backends: [], filters: [filter], provenance: r.provenance }));
    route.attach = { http: true, https: host.tls };
    // app-root's `if ($uri = /)` is in the server block, so it answers `/` before the redirect.
    if (cfg.appRoot) addAppRoot(ctx, m, route, cfg.appRoot);
    return;
  }
  if (cfg.forceSslRedirect && !host.tls) {
    // lua_ingress.lua redirects on force-ssl-redirect whatever the host, rules without host too,
    // except locations of no-tls-redirect-locations (ACME HTTP-01 challenges).
    const acme = (r: RuleIntent) => r.matches.some((x) => x.path !== undefined && x.path.type !== 'RegularExpression' && x.path.value.startsWith(NO_TLS_REDIRECT_PREFIX));
    route.rules = route.rules.map((r) =>
      acme(r)
        ? r
        : {
            matches: r.matches,
            backends: [],
            filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 308 } }],
            provenance: r.provenance,
          },
    );
    const what = route.hostnames[0] ?? 'the rules without host';
    report('force-ssl-redirect', {
      severity: 'warning',
      message: `${what} ${route.hostnames.length ? 'has' : 'have'} no certificate in the Ingresses, so the Gateway has no HTTPS listener for ${route.hostnames.length ? 'it' : 'them'}: HTTP requests are redirected to HTTPS as ingress-nginx did (which answered HTTPS with its default certificate), but nothing serves them there; ${HTTPS_REDIRECT_SLASH}`,
      remediation: route.hostnames.length ? `Add a tls entry with a Secret for ${what}, or attach these paths to an HTTPS listener that has one.` : 'Give these paths a host with a certificate, or attach them to an HTTPS listener that has one.',
    });
  }
  if (cfg.sessionPersistence) {
    for (const r of route.rules) if (r.backends.length > 0) r.sessionPersistence = structuredClone(cfg.sessionPersistence);
  }
  if (cfg.mirror) {
    const backendRef = { name: cfg.mirror.name, port: cfg.mirror.port };
    for (const r of route.rules) if (r.backends.length > 0) r.filters.push({ type: 'RequestMirror', requestMirror: { backendRef } });
  }
  if (cfg.cors) {
    for (const r of route.rules) if (r.backends.length > 0 && !r.filters.some((f) => f.type === 'CORS')) r.filters.push({ type: 'CORS', cors: structuredClone(cfg.cors) });
  }
  if (cfg.upstreamVhost) {
    for (const r of route.rules) {
      if (r.backends.length === 0) continue;
      const existing = r.filters.find((f) => f.type === 'URLRewrite');
      if (existing) (existing.urlRewrite as Record<string, unknown>).hostname = cfg.upstreamVhost;
      else r.filters.push({ type: 'URLRewrite', urlRewrite: { hostname: cfg.upstreamVhost } });
    }
  }
  if (cfg.backendProtocol === 'GRPC' || cfg.backendProtocol === 'GRPCS') {
    if (cfg.requestTimeout) {
      report(m.annotations[NGINX_PREFIX + 'proxy-read-timeout'] !== undefined ? 'proxy-read-timeout' : 'proxy-send-timeout', {
        severity: 'warning',
        message: 'GRPCRoute has no timeouts in Gateway API v1.6.1, so the gRPC timeout was not translated',
        remediation: 'Use the implementation\u2019s timeout policy (e.g. --target envoy-gateway).',
      });
    }
    if (cfg.appRoot) {
      // nginx answered `/` with app-root's 302 before reaching the gRPC location.
      report('backend-protocol', { ruleId: 'ingress-nginx/grpc-filter', severity: 'warning', message: 'redirect rules (app-root, redirects) have no GRPCRoute form and were left out' });
    }
    toGrpc(ctx, m, report, route);
    return;
  }
  if (cfg.requestTimeout) {
    for (const r of route.rules) if (r.backends.length > 0) r.timeouts = { ...r.timeouts, request: cfg.requestTimeout };
  }
  if (cfg.appRoot) addAppRoot(ctx, m, route, cfg.appRoot);
}

/**
 * app-root: nginx.tmpl writes `if ($uri = /) { return 302 ...; }` into the server block for each
 * location that has it, so it answers `/` before any location (an Exact `/` path included) and
 * before the location's own redirect.
 */
function addAppRoot(ctx: ProviderContext, m: IngressModel, route: RouteIntent, appRoot: string): void {
  const redirect: RuleIntent = {
    matches: [{ path: { type: 'Exact', value: '/' } }],
    backends: [],
    filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: appRoot }, statusCode: 302 } }],
    provenance: route.provenance,
  };
  const exactRoot = (r: RuleIntent) => r.matches.length > 0 && r.matches.every((x) => x.path?.type === 'Exact' && x.path.value === '/' && !x.headers && !x.queryParams && !x.method);
  route.rules = [redirect, ...route.rules.filter((r) => !exactRoot(r))];
  reportAppRootQuery(ctx, m, appRoot);
}

/** nginx.tmpl: `if ($uri = /) { return 302 $scheme://$http_host<app-root>; }` has no $args. */
export function reportAppRootQuery(ctx: ProviderContext, m: IngressModel, appRoot: string): void {
  reporterFor(ctx, m)('app-root', {
    severity: 'info',
    message: `ingress-nginx redirected / to ${appRoot} without the query string; the Gateway API redirect keeps it (/?a=1 goes to ${appRoot}?a=1)`,
  });
}

/** The CORS filter for enable-cors, with ingress-nginx's defaults written out (Gateway API's differ). */
function readCors(
  a: (k: string) => string | undefined,
  report: ReturnType<typeof reporterFor>,
  bool: (k: string, d: boolean) => boolean,
): Record<string, unknown> {
  const list = (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean);
  const origins: string[] = [];
  for (const o of list(a('cors-allow-origin') ?? '*')) {
    if (CORS_ORIGIN.test(o)) origins.push(o);
    else report('cors-allow-origin', { severity: 'warning', message: `origin "${o}" is not one Gateway API accepts (scheme://host[:port], a leading *. wildcard, or *); it was left out` });
  }
  if (origins.some((o) => o.includes('://*.'))) {
    report('cors-allow-origin', { severity: 'info', message: 'a wildcard origin matched one label in ingress-nginx (https://*.a.com: x.a.com, not x.y.a.com); Gateway API wildcards match any number of labels' });
  }
  const methods: string[] = [];
  for (const m of list(a('cors-allow-methods') ?? CORS_DEFAULT_METHODS)) {
    const up = m.toUpperCase();
    if (GATEWAY_METHODS.has(up)) {
      if (!methods.includes(up)) methods.push(up);
    } else report('cors-allow-methods', { severity: 'warning', message: `method "${m}" is not one Gateway API CORS accepts; it was left out` });
  }
  const headers = (k: string, dflt?: string): string[] => {
    const out: string[] = [];
    for (const h of list(a(k) ?? dflt ?? '')) {
      if (HTTP_HEADER_NAME.test(h)) {
        if (!out.some((x) => x.toLowerCase() === h.toLowerCase())) out.push(h);
      } else report(k, { severity: 'warning', message: `header "${h}" is not a valid header name; it was left out` });
    }
    return out;
  };
  const allowHeaders = headers('cors-allow-headers', CORS_DEFAULT_HEADERS);
  const exposeHeaders = headers('cors-expose-headers');
  let credentials = bool('cors-allow-credentials', true);
  if (credentials && origins.includes('*')) {
    // nginx sent the literal `*` with credentials, a combination browsers refuse; Gateway API
    // would echo any origin instead, allowing credentialed requests from everywhere.
    credentials = false;
    report('cors-allow-credentials', {
      severity: 'info',
      message: 'with origin "*" ingress-nginx sent "Access-Control-Allow-Origin: *" and credentials true, which browsers refuse for credentialed requests; allowCredentials was left false so that Gateway API does not allow credentials from every origin',
    });
  }
  let maxAge = 1728000;
  const rawAge = a('cors-max-age');
  if (rawAge !== undefined) {
    if (/^\d+$/.test(rawAge) && Number(rawAge) >= 1) maxAge = Math.min(Number(rawAge), 2147483647);
    else report('cors-max-age', { ruleId: 'ingress-nginx/invalid-value', severity: 'warning', message: `cors-max-age "${rawAge}" is not a positive number of seconds; ingress-nginx used 1728000` });
  }
  const cors: Record<string, unknown> = {};
  if (origins.length) cors.allowOrigins = origins.includes('*') ? ['*'] : origins.slice(0, 64);
  if (credentials) cors.allowCredentials = true;
  if (methods.length) cors.allowMethods = methods.includes('*') ? ['*'] : methods.slice(0, 9);
  if (allowHeaders.length) cors.allowHeaders = allowHeaders.slice(0, 64);
  if (exposeHeaders.length) cors.exposeHeaders = exposeHeaders.slice(0, 64);
  cors.maxAge = maxAge;
  return cors;
}

/**
 * from-to-www-redirect: nginx adds a server for the www/non-www twin of each host that
 * redirects (ConfigMap http-redirect-code, 308) to the host, unless the twin has Ingress rules
 * of its own (pkg/util/ingress, nginx.tmpl). Returns the twin routes.
 */
export function wwwRedirects(ctx: ProviderContext, models: readonly { model: IngressModel; on: boolean }[], tlsCovers: (gatewayKey: string, host: string, twin: string) => boolean): RouteIntent[] {
  const hosts = new Set<string>();
  for (const { model } of models) for (const r of model.rules) hosts.add(`${ctx.gatewayKeyFor(model)} ${r.host}`);
  const done = new Set<string>();
  const out: RouteIntent[] = [];
  for (const { model: m, on } of models) {
    if (!on) continue;
    const gw = ctx.gatewayKeyFor(m);
    for (const r of m.rules) {
      const host = r.host;
      if (host === '' || host.startsWith('*.')) continue;
      const twin = host.startsWith('www.') ? host.slice(4) : `www.${host}`;
      if (hosts.has(`${gw} ${twin}`) || done.has(`${gw} ${twin}`)) continue;
      done.add(`${gw} ${twin}`);
      out.push({
        kind: 'HTTPRoute',
        gatewayKey: gw,
        namespace: m.namespace,
        name: `${m.name}-${twin}-redirect`,
        hostnames: [twin],
        attach: { http: true, https: tlsCovers(gw, host, twin) },
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backends: [],
            filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: host, statusCode: 308 } }],
            provenance: [{ object: m.ref, field: annotationField(NGINX_PREFIX + 'from-to-www-redirect') }],
          },
        ],
        annotations: {},
        provenance: [{ object: m.ref }],
      });
      if (!tlsCovers(gw, host, twin)) {
        reporterFor(ctx, m)('from-to-www-redirect', {
          severity: 'info',
          message: `requests for ${twin} are redirected to ${host} over HTTP; the certificate of ${host} does not cover ${twin} as far as the Ingresses tell, and ingress-nginx's redirect server used only that one (BuildRedirects), so HTTPS requests for ${twin} failed there and are not redirected here`,
        });
      }
    }
  }
  return out;
}

/**
 * backend-protocol GRPC/GRPCS: the route becomes a GRPCRoute. gRPC calls are POST /pkg.Service/Method,
 * so `/` is every method, a PathPrefix `/pkg.Service` one service and an Exact
 * `/pkg.Service/Method` one method; other paths, and the filters GRPCRoute does not have, are
 * reported and left out.
 */
function toGrpc(ctx: ProviderContext, m: IngressModel, report: ReturnType<typeof reporterFor>, route: RouteIntent): void {
  route.kind = 'GRPCRoute';
  const kept: RuleIntent[] = [];
  for (const r of route.rules) {
    const path = r.matches[0]?.path;
    if (r.backends.length === 0 || !path) continue; // redirects (app-root...) have no GRPCRoute form; reported below
    const segs = path.value.split('/').filter(Boolean);
    let method: RuleIntent['grpcMethod'] | undefined;
    if (path.type === 'PathPrefix' && segs.length === 0) method = {};
    else if (path.type === 'PathPrefix' && segs.length === 1 && GRPC_SERVICE.test(segs[0]!)) method = { service: segs[0]! };
    else if (path.type === 'Exact' && segs.length === 2 && GRPC_SERVICE.test(segs[0]!) && GRPC_METHOD.test(segs[1]!)) method = { service: segs[0]!, method: segs[1]! };
    if (!method) {
      const at = r.provenance[0];
      ctx.report({
        ruleId: 'ingress-nginx/grpc-path',
        severity: 'error',
        message: `with backend-protocol GRPC, path ${path.value} (${path.type}) is not a gRPC service or method path (/package.Service or /package.Service/Method), so it cannot be a GRPCRoute match; it was not translated`,
        remediation: 'Route gRPC by service names, or keep this path in an HTTPRoute by hand.',
        doc: m.doc,
        ...(at?.position ? { position: at.position } : {}),
        ...(at?.field ? { field: at.field } : {}),
      });
      continue;
    }
    const dropped = r.filters.filter((f) => f.type !== 'RequestHeaderModifier' && f.type !== 'ResponseHeaderModifier');
    if (dropped.length) {
      report('backend-protocol', {
        ruleId: 'ingress-nginx/grpc-filter',
        severity: 'warning',
        message: `GRPCRoute has no ${[...new Set(dropped.map((f) => f.type))].join(', ')} filter; it was left out of the rule for ${path.value}`,
      });
    }
    kept.push({ ...r, grpcMethod: method, filters: r.filters.filter((f) => !dropped.includes(f)) });
  }
  if (route.rules.some((r) => r.backends.length === 0)) {
    report('backend-protocol', { ruleId: 'ingress-nginx/grpc-filter', severity: 'warning', message: 'redirect rules (app-root, redirects) have no GRPCRoute form and were left out' });
  }
  route.rules = kept;
}

/**
 * mirror-target is a URL (usually `http://host$request_uri`): nginx copies each request there and
 * ignores the answer. Gateway API mirrors to a Service: this works when the URL names a Service
 * of the Ingress's namespace (`svc`, `svc.ns`, `svc.ns.svc[.cluster.local]`) over plain HTTP and
 * keeps the request path.
 */
function readMirror(m: IngressModel, target: string, fail: (why: string) => void): { name: string; port: number } | undefined {
  const u = /^(https?):\/\/([a-z0-9.-]+)(?::(\d+))?(.*)$/.exec(target);
  if (!u) {
    fail(`mirror-target "${target}" is not an http(s) URL; it was not translated`);
    return undefined;
  }
  const [, scheme, host, port, rest] = u as unknown as [string, string, string, string | undefined, string];
  const parts = host.split('.');
  const svc = parts[0]!;
  const ns = parts.length > 1 ? parts[1]! : m.namespace;
  const serviceDns = parts.length === 1 || parts.length === 2 || (parts[2] === 'svc' && (parts.length === 3 || parts.slice(3).join('.') === 'cluster.local'));
  if (!serviceDns) {
    fail(`mirror-target "${target}" is not a cluster Service; Gateway API RequestMirror needs a Service backendRef, so it was not translated`);
    return undefined;
  }
  if (ns !== m.namespace) {
    fail(`mirror-target "${target}" is a Service in namespace ${ns}; a mirror to another namespace needs a ReferenceGrant there, so it was not translated`);
    return undefined;
  }
  if (scheme === 'https') {
    fail(`mirror-target "${target}" uses https; a Service mirror over TLS needs a BackendTLSPolicy for ${svc}, so it was not translated`);
    return undefined;
  }
  if (rest !== '$request_uri') {
    fail(`mirror-target "${target}" sends the copies to ${rest === '' ? 'the root path' : `"${rest}"`} rather than the request's own path ($request_uri); Gateway API mirrors keep the request path, so it was not translated`);
    return undefined;
  }
  return { name: svc, port: port ? Number(port) : 80 };
}
