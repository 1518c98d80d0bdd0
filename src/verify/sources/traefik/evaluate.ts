/**
 * One request through Traefik v3.7.9, in its order (docs/research/traefik.md has line references):
 * entry point by port -> the entry point's redirection router (priority MaxInt-1,
 * pkg/provider/traefik/internal.go redirection) -> TLS: a certificate of the default store for
 * the SNI (spec.tls Secrets, an ACME resolver of a router for its domains, the TLSStore default
 * certificate; else Traefik's self-signed default) -> the routers of the entry point that match
 * the connection (TLS routers answer only TLS, runtime_http.go) and the request (Host with one
 * label per `*`, muxer.go DomainMatchHostExpression; Path equality, PathPrefix as a string prefix,
 * PathRegexp searched anywhere, pkg/muxer/http/matcher.go), the highest priority first (mux.go
 * routes.Less) -> the router's middlewares in order, then the Service's (pkg/middlewares/...) ->
 * the Service (passHostHeader) or Traefik's 404.
 */
import type { KubeObject } from '../../../inputs/document.js';
import { normalizeLocation, uri } from '../../http.js';
import { pcre } from '../../regex.js';
import type { HeaderEdits, Involvement, Outcome, Probe } from '../../types.js';
import { isRecord } from '../../types.js';
import type { EntryPoint, Middleware, Router, TraefikConfig } from './config.js';

export interface EvalContext {
  config: TraefikConfig;
  services: ReadonlyMap<string, KubeObject>;
}

/** muxer.DomainMatchHostExpression: `*.` stands for exactly one label; case-insensitive. */
export function hostMatches(expr: string, host: string): boolean {
  if (expr.startsWith('*')) {
    const labels = host.split('.');
    labels[0] = '*';
    return labels.join('.').toLowerCase() === expr.toLowerCase();
  }
  return expr.toLowerCase() === host.toLowerCase();
}

/** Whether a router's path matcher matches the routing path; undefined when the regex cannot be run. */
export function pathMatches(r: Pick<Router, 'matcher' | 'path'>, path: string): boolean | undefined {
  switch (r.matcher) {
    case '':
      return true;
    case 'Path':
      return path === r.path;
    case 'PathPrefix':
      return path.startsWith(r.path);
    case 'PathRegexp': {
      const re = pcre(r.path);
      return re ? re.test(path) : undefined;
    }
  }
}

/** Go regexp.Expand of a replacement template: `$name` takes the longest run of word characters. */
export function goExpand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, _x: string, braced: string | undefined, bare: string | undefined) => {
    if (_x === '$') return '$';
    const name = braced ?? bare ?? '';
    if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
    return m.groups?.[name] ?? '';
  });
}

/** Go regexp.ReplaceAllString with Expand semantics. */
function goReplaceAll(re: RegExp, s: string, template: string): string {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let out = '';
  let last = 0;
  let prevEnd = -1;
  for (let m = g.exec(s); m; m = g.exec(s)) {
    if (m[0].length === 0) g.lastIndex++;
    // Go: an empty match abutting the preceding match is ignored.
    if (m[0].length === 0 && m.index === prevEnd) continue;
    out += s.slice(last, m.index) + goExpand(template, m);
    last = m.index + m[0].length;
    prevEnd = last;
  }
  return out + s.slice(last);
}

const ensureSlash = (s: string) => (s === '' || s.startsWith('/') ? s : `/${s}`);

function certificateFor(cfg: TraefikConfig, ep: EntryPoint, host: string): Involvement[] | undefined {
  for (const c of cfg.certificates) if (c.names.some((n) => hostMatches(n, host))) return [{ object: c.ingress.ref, path: c.at, role: 'certificate' }];
  // An ACME resolver obtains a certificate for the router's domains (or its Host).
  for (const r of cfg.routers) {
    const t = r.ingress.router.tls;
    if (!t?.certResolver || r.broken || !r.entryPoints.includes(ep)) continue;
    const names = t.domains.length ? t.domains : r.host ? [r.host] : [];
    const key = r.ingress.keys.get('router.tls.certresolver');
    if (names.some((n) => hostMatches(n, host))) return [{ object: r.ingress.ref, ...(key ? { path: ['metadata', 'annotations', key] } : {}), role: 'cert-resolver' }];
  }
  // The TLSStore default certificate is taken to cover the hosts of the Ingresses (what it was
  // configured for); for another name its validity is unknown, so a validating client is
  // assumed to refuse it.
  if (cfg.defaultCertificate && [...cfg.routers, ...cfg.skipped].some((r) => r.host !== '' && hostMatches(r.host, host))) return [{ object: cfg.defaultCertificate.ref, role: 'default-certificate' }];
  return undefined;
}

function routerInv(r: Router, role = 'router'): Involvement[] {
  const out: Involvement[] = [{ object: r.ingress.ref, path: r.at, role, value: r.matcher ? `${r.matcher} ${r.path}` : '(no path)' }];
  if (role === 'router' && !r.isDefault) {
    // Every rule of the Ingress with this host (a route per host gathers them).
    for (const rule of r.ingress.rules) if (rule.host === r.host) out.push({ object: r.ingress.ref, path: rule.at, role: 'host-rule', value: r.host });
  }
  if (role === 'router' && r.isDefault) out.push({ object: r.ingress.ref, path: ['spec', 'defaultBackend'], role: 'default-router' });
  return out;
}

function onEntryPoint(r: Router, ep: EntryPoint, tlsConn: boolean): boolean {
  return r.entryPoints.includes(ep) && (r.tls || ep.protocol === 'HTTPS') === tlsConn && r.rule !== '';
}

/** What the routers that did not answer contribute to the explanation of a request. */
function bystanders(ctx: EvalContext, p: Probe, ep: EntryPoint, tlsConn: boolean, winner: Router | undefined): Involvement[] {
  const out: Involvement[] = [];
  const cfg = ctx.config;
  for (const r of cfg.routers) {
    // A wildcard host matched one label only; the Gateway API hostname matches deeper names too.
    if (r.host.startsWith('*.') && !hostMatches(r.host, p.host) && p.host.endsWith(r.host.slice(1)) && !r.isDefault) {
      if (!out.some((i) => i.role === 'wildcard-host' && i.object === r.ingress.ref)) out.push({ object: r.ingress.ref, path: [...r.at.slice(0, 3), 'host'], role: 'wildcard-host', value: r.host });
      continue;
    }
    if (r === winner || !(r.host === '' || hostMatches(r.host, p.host))) continue;
    if (pathMatches(r, p.path) !== true) {
      // PathPrefix("/foo/") does not match /foo itself.
      if (r.matcher === 'PathPrefix' && r.path.endsWith('/') && p.path === r.path.slice(0, -1) && !r.broken) out.push(...routerInv(r, 'router-bare-prefix'));
      continue;
    }
    if (r.broken) {
      out.push(...routerInv(r, 'broken-router'), { object: r.broken.object, path: r.broken.at, role: 'broken-router-cause' });
      continue;
    }
    if (!r.entryPoints.includes(ep) || (r.tls || ep.protocol === 'HTTPS') !== tlsConn) {
      out.push(...routerInv(r, 'other-entrypoint-router'));
      const k = r.ingress.keys.get('router.entrypoints') ?? r.ingress.keys.get('router.tls');
      if (k) out.push({ object: r.ingress.ref, path: ['metadata', 'annotations', k], role: 'router-entrypoints' });
      continue;
    }
    if (winner && r.priority <= winner.priority) out.push(...routerInv(r, 'shadowed-router'));
  }
  for (const s of cfg.skipped) {
    if (!(s.host === '' || hostMatches(s.host, p.host))) continue;
    if (s.path !== '' && !p.path.startsWith(s.path.replace(/\/+$/, '') || '/')) continue;
    out.push({ object: s.ingress.ref, path: s.at, role: 'skipped-path', value: s.path });
    if (s.key) out.push({ object: s.ingress.ref, path: ['metadata', 'annotations', s.key], role: 'skipped-annotation' });
  }
  if (winner) {
    const prio = winner.ingress.keys.get('router.priority');
    if (prio && out.some((i) => i.role === 'shadowed-router')) out.push({ object: winner.ingress.ref, path: ['metadata', 'annotations', prio], role: 'router-priority' });
  }
  return out;
}

export function evaluate(ctx: EvalContext, p: Probe): Outcome {
  const cfg = ctx.config;
  const port = p.scheme === 'https' ? 443 : 80;
  const ep = cfg.entryPoints.find((e) => e.port === port);
  if (!ep) return { kind: 'respond', status: 0, via: `no entry point on port ${port} (connection refused)`, involved: [] };
  const tlsConn = p.scheme === 'https';
  const requestUri = uri(p.path, p.query);
  if (!tlsConn && ep.protocol === 'HTTPS') return { kind: 'respond', status: 400, via: `plain HTTP sent to the TLS entry point ${ep.name}`, involved: [] };
  if (tlsConn && ep.protocol === 'HTTP' && !cfg.routers.some((r) => r.tls && r.entryPoints.includes(ep))) {
    return { kind: 'tls-failure', via: `entry point ${ep.name} has no TLS router`, involved: [] };
  }

  // The entry point's redirection (http.redirections.entryPoint: scheme https, permanent).
  if (!tlsConn && ep.redirectTo) {
    const to = cfg.entryPoints.find((e) => e.name === ep.redirectTo);
    if (to) {
      const status = p.method === 'GET' ? 301 : 308;
      // The Ingresses whose routers are on the entry point for this host (their redirect).
      // The Ingresses whose routers are on the entry point for this host (for another host:
      // all of them, the redirection being the entry point's).
      const onEp = cfg.routers.filter((r) => r.entryPoints.includes(ep));
      const forHost = onEp.filter((r) => r.host === '' || hostMatches(r.host, p.host));
      const inv: Involvement[] = [];
      for (const r of forHost.length ? forHost : onEp) {
        const k = r.ingress.keys.get('router.entrypoints');
        inv.push({ object: r.ingress.ref, ...(k ? { path: ['metadata', 'annotations', k] } : {}), role: 'entrypoint-redirect' });
      }
      // The redirection is the entry point's, for every Ingress Traefik serves.
      for (const i of cfg.ingresses) if (!inv.some((x) => x.object === i.ref)) inv.push({ object: i.ref, role: 'entrypoint-redirect' });
      return { kind: 'redirect', status, location: normalizeLocation(`https://${p.host}${to.port === 443 ? '' : `:${to.port}`}${requestUri}`), via: `entry point ${ep.name} redirects to ${to.name}`, involved: inv };
    }
  }

  const involved: Involvement[] = [];
  if (tlsConn) {
    const cert = certificateFor(cfg, ep, p.host);
    if (!cert) {
      const inv = cfg.routers.filter((r) => r.host !== '' && hostMatches(r.host, p.host) && onEntryPoint(r, ep, true)).flatMap((r) => routerInv(r, 'uncertified-router'));
      inv.push(...bystanders(ctx, p, ep, true, undefined).filter((i) => i.role === 'wildcard-host'));
      return { kind: 'tls-failure', via: `no certificate of the default store covers ${p.host}: Traefik answers with its self-signed default certificate`, involved: inv };
    }
    involved.push(...cert);
  }

  // Routers of this entry point and connection type that match, highest priority first.
  const matching: Router[] = [];
  for (const r of cfg.routers) {
    if (r.broken || !onEntryPoint(r, ep, tlsConn)) continue;
    if (r.host && !hostMatches(r.host, p.host)) continue;
    const m = pathMatches(r, p.path);
    if (m === undefined) return { kind: 'unknown', via: `the PathRegexp ${r.path} of ${r.ingress.namespace}/${r.ingress.name} cannot be run by the model`, involved: [...involved, ...routerInv(r)] };
    if (m) matching.push(r);
  }
  matching.sort((a, b) => b.priority - a.priority);
  const winner = matching[0];
  if (!winner) {
    return { kind: 'respond', status: 404, via: `no router of entry point ${ep.name} matches (Traefik's 404)`, involved: [...involved, ...bystanders(ctx, p, ep, tlsConn, undefined)] };
  }
  const ties = matching.filter((r) => r !== winner && r.priority === winner.priority);
  involved.push(...routerInv(winner), ...bystanders(ctx, p, ep, tlsConn, winner));
  const via = `entry point ${ep.name}, router ${winner.rule} (priority ${winner.priority})`;
  const out = runRouter(ctx, winner, p, involved, via);
  for (const t of ties) {
    const other = runRouter(ctx, t, p, [], via);
    if (JSON.stringify({ ...other, involved: [], via: '' }) !== JSON.stringify({ ...out, involved: [], via: '' })) {
      return { kind: 'unknown', via: `routers ${winner.rule} and ${t.rule} have the same priority ${winner.priority}: Traefik answers with either`, involved: [...involved, ...routerInv(t, 'tied-router')] };
    }
  }
  return out;
}

/** A Service port number as loadService matched it (number, or name among the Service's ports). */
function servicePort(ctx: EvalContext, namespace: string, service: string, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  const svc = ctx.services.get(`${namespace}/${service}`);
  const ports = svc && isRecord(svc.spec) && Array.isArray(svc.spec.ports) ? svc.spec.ports.filter(isRecord) : [];
  const found = ports.find((x) => x.name === port);
  return typeof found?.port === 'number' ? found.port : undefined;
}

/** The middlewares of a router, then its Service. */
function runRouter(ctx: EvalContext, r: Router, p: Probe, involved: Involvement[], via: string): Outcome {
  let path = p.path;
  let query = p.query;
  let host = p.host;
  const scheme = p.scheme;
  const requestHeaders: HeaderEdits = {};
  const responseHeaders: HeaderEdits = {};
  const mwKey = r.ingress.keys.get('router.middlewares');
  if (mwKey && r.chain.length) involved.push({ object: r.ingress.ref, path: ['metadata', 'annotations', mwKey], role: 'router-middlewares' });
  for (const item of r.chain) {
    if ('missing' in item) return { kind: 'unknown', via: `${via}: middleware ${item.missing} is not in the input`, involved };
    const mw: Middleware = item.mw;
    const c = mw.config;
    const inv: Involvement = { object: mw.ref, path: ['spec', mw.kind!], role: 'middleware', value: mw.kind! };
    const currentUri = () => uri(path === '' ? '/' : path, query);
    switch (mw.kind) {
      case 'stripPrefix': {
        const prefixes = (Array.isArray(c.prefixes) ? c.prefixes : []).filter((x): x is string => typeof x === 'string').map((x) => x.trim());
        const hit = prefixes.find((x) => path.startsWith(x));
        if (hit !== undefined) {
          path = ensureSlash(path.slice(hit.length));
          requestHeaders['x-forwarded-prefix'] = hit;
          involved.push({ ...inv, value: `stripPrefix ${hit}` });
        }
        break;
      }
      case 'addPrefix':
        path = ensureSlash(String(c.prefix) + path);
        involved.push(inv);
        break;
      case 'replacePath':
        requestHeaders['x-replaced-path'] = path;
        path = typeof c.path === 'string' ? c.path : '';
        involved.push(inv);
        break;
      case 'replacePathRegex': {
        const re = typeof c.regex === 'string' ? pcre(c.regex) : undefined;
        if (!re) return { kind: 'unknown', via: `${via}: the replacePathRegex regex of Middleware ${mw.namespace}/${mw.name} cannot be run by the model`, involved: [...involved, inv] };
        if (re.test(path)) {
          requestHeaders['x-replaced-path'] = path;
          path = goReplaceAll(re, path, typeof c.replacement === 'string' ? c.replacement : '');
          involved.push(inv);
        }
        break;
      }
      case 'redirectScheme': {
        const target = String(c.scheme);
        const port = c.port === undefined ? '' : String(c.port);
        const portPart = port && !((target === 'http' && port === '80') || (target === 'https' && port === '443')) ? `:${port}` : '';
        const oldUrl = `${scheme}://${host}${currentUri()}`;
        const newUrl = `${target}://${host}${portPart}${currentUri()}`;
        involved.push(inv);
        if (newUrl !== oldUrl) {
          const permanent = c.permanent === true;
          const status = c.forcePermanentRedirect === true ? 308 : permanent ? (p.method === 'GET' ? 301 : 308) : p.method === 'GET' ? 302 : 307;
          return { kind: 'redirect', status, location: normalizeLocation(newUrl), via: `${via}: redirectScheme of ${mw.namespace}/${mw.name}`, involved };
        }
        break;
      }
      case 'redirectRegex': {
        const re = typeof c.regex === 'string' ? pcre(c.regex) : undefined;
        if (!re) return { kind: 'unknown', via: `${via}: the redirectRegex regex of Middleware ${mw.namespace}/${mw.name} cannot be run by the model`, involved: [...involved, inv] };
        const oldUrl = `${scheme}://${host}${currentUri()}`;
        if (!re.test(oldUrl)) break;
        involved.push(inv);
        const newUrl = goReplaceAll(re, oldUrl, typeof c.replacement === 'string' ? c.replacement : '');
        if (newUrl !== oldUrl) {
          const permanent = c.permanent === true;
          const status = typeof c.statusCode === 'number' ? c.statusCode : permanent ? (p.method === 'GET' ? 301 : 308) : p.method === 'GET' ? 302 : 307;
          return { kind: 'redirect', status, location: normalizeLocation(newUrl), via: `${via}: redirectRegex of ${mw.namespace}/${mw.name}`, involved };
        }
        break;
      }
      case 'headers': {
        if (c.sslRedirect === true || c.sslTemporaryRedirect === true || (Array.isArray(c.allowedHosts) && c.allowedHosts.length > 0)) {
          return { kind: 'unknown', via: `${via}: the headers middleware ${mw.namespace}/${mw.name} redirects or rejects requests (sslRedirect, allowedHosts), which is not simulated`, involved: [...involved, inv] };
        }
        const reqH = isRecord(c.customRequestHeaders) ? c.customRequestHeaders : {};
        const resH = isRecord(c.customResponseHeaders) ? c.customResponseHeaders : {};
        for (const [k, v] of Object.entries(reqH)) {
          const value = String(v ?? '');
          if (value !== '' && k.toLowerCase() === 'host') host = value;
          else requestHeaders[k.toLowerCase()] = value === '' ? null : value;
        }
        // The response hook of an earlier middleware runs last: its values win.
        for (const [k, v] of Object.entries(resH)) {
          const key = k.toLowerCase();
          if (!(key in responseHeaders)) responseHeaders[key] = String(v ?? '') === '' ? null : String(v);
        }
        involved.push(inv);
        break;
      }
      case 'plugin':
        return { kind: 'unknown', via: `${via}: plugin middleware ${mw.namespace}/${mw.name}`, involved: [...involved, inv] };
      case 'stripPrefixRegex':
        return { kind: 'unknown', via: `${via}: stripPrefixRegex middleware ${mw.namespace}/${mw.name} is not simulated`, involved: [...involved, inv] };
      default:
        // Authentication, IP lists, rate limits, retries, compression, error pages, buffering:
        // who may pass and how the answer is shaped, not where the request goes (not simulated).
        involved.push({ ...inv, role: 'unsimulated-middleware' });
        break;
    }
  }
  const port = servicePort(ctx, r.ingress.namespace, r.backend.service, r.backend.port);
  if (port === undefined) return { kind: 'unknown', via: `${via}: the named port ${r.backend.port} of Service ${r.ingress.namespace}/${r.backend.service}, which is not in the input`, involved };
  if (r.serviceAnn.passHostHeader === false) {
    const svc = r.service!;
    const key = Object.keys(svc.metadata.annotations ?? {}).find((k) => /passhostheader$/i.test(k));
    involved.push({ object: { apiVersion: 'v1', kind: 'Service', namespace: r.ingress.namespace, name: r.backend.service }, ...(key ? { path: ['metadata', 'annotations', key] } : {}), role: 'pass-host-header' });
    host = `${r.backend.service}.${r.ingress.namespace}:${port} (the server address)`;
  }
  return {
    kind: 'forward',
    backends: [{ service: `${r.ingress.namespace}/${r.backend.service}`, port, weight: 1 }],
    path: uri(path === '' ? '/' : path, query),
    host,
    requestHeaders,
    responseHeaders,
    mirrors: [],
    via,
    involved,
  };
}
