/**
 * One request through ingress-nginx controller-v1.15.1, in nginx's phase order:
 * TLS (ssl-passthrough TCP proxy, certificate.lua) -> server by Host (exact names, `*.` wildcard
 * names, regex names in file order, then the default server) -> server-level app-root `if`
 * -> location (`=` exact, longest prefix, the 301 for a prefix ending in '/'; or, in regex mode,
 * the first `~*` match in file order) -> location rewrite phase (`return` of permanent/temporal
 * redirects, `rewrite ... break`, then lua_ingress.lua's HTTPS redirect) -> proxying (canary
 * choice of balancer.lua, Host, headers, mirror).
 */
import type { KubeObject } from '../../../inputs/document.js';
import { normalizeLocation, normalizeWeights, uri } from '../../http.js';
import { pcre } from '../../regex.js';
import type { HeaderEdits, Involvement, Outcome, Probe, WeightedBackend } from '../../types.js';
import { isRecord } from '../../types.js';
import type { Cert, Location, NginxConfig, Server, Upstream } from './config.js';
import { DEFAULT_SERVER, annotationPath } from './config.js';
import type { Backend, NginxIngress } from './ingresses.js';
import { PREFIX } from './ingresses.js';

/** ConfigMap no-tls-redirect-locations (default): locations never redirected to HTTPS. */
const NO_TLS_REDIRECT_LOCATIONS = ['/.well-known/acme-challenge'];
/** ConfigMap http-redirect-code (default). */
const HTTP_REDIRECT_CODE = 308;

const HEADER_NAME = /^[a-zA-Z\d\-_]+$/;
const HEADER_VALUE = /^[a-zA-Z\d_ :;.,\\/"'?!(){}[\]@<>=\-+*#$&`|~^%]+$/;

export interface EvalContext {
  config: NginxConfig;
  services: ReadonlyMap<string, KubeObject>;
  configMaps: ReadonlyMap<string, KubeObject>;
}

function ann(i: NginxIngress, key: string, role: string): Involvement {
  return { object: i.ref, path: annotationPath(key), role };
}

/** The Service port a backend reaches (controller.go serviceEndpoints: port, targetPort or name). */
export function servicePort(ctx: EvalContext, namespace: string, b: Backend): number | undefined {
  const svc = ctx.services.get(`${namespace}/${b.service}`);
  const ports = svc && isRecord(svc.spec) && Array.isArray(svc.spec.ports) ? svc.spec.ports.filter(isRecord) : [];
  const found = ports.find((p) => p.port === b.port || p.targetPort === b.port || p.name === b.port);
  if (found && typeof found.port === 'number') return found.port;
  return typeof b.port === 'number' ? b.port : undefined;
}

function certFor(ctx: EvalContext, host: string): Cert | undefined {
  const exact = ctx.config.certificates.get(host);
  if (exact) return exact;
  const dot = host.indexOf('.');
  return dot > 0 ? ctx.config.certificates.get(`*${host.slice(dot)}`) : undefined;
}

/** nginx server_name lookup: exact, then `*.` wildcards (longest), then regex names, then `_`. */
function selectServer(ctx: EvalContext, host: string): { server: Server } | { redirect: NginxConfig['redirects'][number] } {
  const cfg = ctx.config;
  for (const r of cfg.redirects) if (r.from === host) return { redirect: r };
  for (const s of cfg.ordered) {
    if (s.hostname === DEFAULT_SERVER || s.hostname.startsWith('*.')) continue;
    if (s.hostname === host) return { server: s };
  }
  for (const s of cfg.ordered) if (s.aliases.includes(host)) return { server: s };
  let best: Server | undefined;
  let bestLen = -1;
  for (const s of cfg.ordered) {
    for (const a of s.aliases) {
      const suffix = a.startsWith('*.') ? a.slice(1) : a.startsWith('.') ? a : undefined;
      if (suffix === undefined) continue;
      const ok = host.endsWith(suffix) || (a.startsWith('.') && host === a.slice(1));
      if (ok && suffix.length > bestLen) {
        best = s;
        bestLen = suffix.length;
      }
    }
  }
  if (best) return { server: best };
  for (const s of cfg.ordered) {
    for (const a of s.aliases) {
      if (!a.endsWith('.*') || a.startsWith('~')) continue;
      if (host.startsWith(a.slice(0, -1))) return { server: s };
    }
  }
  for (const s of cfg.ordered) {
    // buildServerName: a wildcard host is the regex ~^(?<subdomain>[\w-]+)\.example\.com$.
    if (s.hostname.startsWith('*.') && /^[\w-]+$/.test(host.slice(0, host.length - s.hostname.length + 1)) && host.endsWith(s.hostname.slice(1))) return { server: s };
    for (const a of s.aliases) {
      if (!a.startsWith('~')) continue;
      const re = pcre(a.slice(1));
      if (re?.test(host)) return { server: s };
    }
  }
  return { server: cfg.servers.get(DEFAULT_SERVER)! };
}

type Selected = { loc: Location } | { slash: Location } | { unknown: string };

function selectLocation(s: Server, path: string): Selected {
  if (s.regex) {
    for (const l of s.locations) {
      const re = pcre(`^${l.path}`, true);
      if (!re) return { unknown: `location ~* "^${l.path}" is a regular expression the model cannot run` };
      if (re.test(path)) return { loc: l };
    }
    return { unknown: 'no location matched (the root location always should)' };
  }
  for (const l of s.locations) if (l.pathType === 'Exact' && l.path === path) return { loc: l };
  for (const l of s.locations) if (l.path === `${path}/`) return { slash: l };
  let best: Location | undefined;
  for (const l of s.locations) {
    if (l.pathType !== 'Prefix' || !path.startsWith(l.path)) continue;
    if (!best || l.path.length > best.path.length) best = l;
  }
  return best ? { loc: best } : { unknown: 'no location matched' };
}

function locationInvolvement(s: Server, l: Location): Involvement[] {
  const out: Involvement[] = [];
  if (l.ingress && l.at) out.push({ object: l.ingress.ref, path: l.at, role: l.isDefBackend ? 'host-default' : 'location', value: l.ingressPath });
  else if (s.owner && s.ownerAt) out.push({ object: s.owner.ref, path: s.ownerAt, role: 'host-default', value: '/' });
  else out.push({ object: { kind: 'Server', name: s.hostname }, role: 'host-default', value: '/' });
  if (s.regex) {
    for (const t of s.regexTriggers) {
      out.push(ann(t.ingress, t.key, 'regex-mode'));
      // The location that brought the annotation to this server.
      if (t.at) out.push({ object: t.ingress.ref, path: t.at, role: 'regex-mode-location' });
    }
  }
  return out;
}

/** Hosts and wildcards the probe host relates to (aliases, wildcard depth, refused Ingresses). */
function hostInvolvement(ctx: EvalContext, host: string, server: Server): Involvement[] {
  const out: Involvement[] = [];
  const aliased = server.aliases.some((a) => a === host || (a.startsWith('*.') && host.endsWith(a.slice(1))) || (a.startsWith('.') && (host === a.slice(1) || host.endsWith(a))));
  if (aliased) {
    if (server.aliasBy) out.push(ann(server.aliasBy, 'server-alias', 'alias'));
  }
  for (const s of ctx.config.ordered) {
    if (!s.hostname.startsWith('*.') || !host.endsWith(s.hostname.slice(1)) || s === server) continue;
    if (s.owner && s.ownerAt) out.push({ object: s.owner.ref, path: [...s.ownerAt, 'host'], role: 'wildcard-host', value: s.hostname });
  }
  // Every Ingress with rules for the server's host (host-level findings are reported on one).
  if (server.hostname !== DEFAULT_SERVER) {
    for (const i of ctx.config.ingresses) {
      const r = i.ann.canary ? undefined : i.rules.find((x) => x.host === server.hostname);
      if (r) out.push({ object: i.ref, path: r.at, role: 'host-ingress' });
    }
  }
  for (const d of server.dropped) {
    if (host !== '' && d.path.length > 0) out.push({ object: d.ingress.ref, path: d.at, role: 'dropped-path', value: d.path });
  }
  for (const i of ctx.config.rejected) {
    const catchAll = server.hostname === DEFAULT_SERVER && (i.rules.some((r) => r.host === '') || (i.rules.length === 0 && i.defaultBackend !== undefined));
    if (catchAll || i.rules.some((r) => r.host === host || (r.host.startsWith('*.') && host.endsWith(r.host.slice(1))))) {
      const why = i.rejected!;
      if (why.key !== undefined) out.push(ann(i, why.key.replace(/^nginx\.ingress\.kubernetes\.io\//, ''), 'rejected'));
      else out.push({ object: i.ref, role: 'rejected', ...(why.at ? { path: why.at } : {}) });
    }
  }
  return out;
}

export function evaluate(ctx: EvalContext, p: Probe): Outcome {
  const cfg = ctx.config;
  const requestUri = uri(p.path, p.query);
  const hostInv: Involvement[] = [];

  // 1. TLS: the passthrough proxy takes exact SNI matches; otherwise nginx terminates TLS with
  //    the certificate certificate.lua finds (the host's, a one-label wildcard's, or the default).
  if (p.scheme === 'https') {
    const pt = cfg.servers.get(p.host);
    if (pt && pt.sslPassthrough && !p.host.startsWith('*.')) {
      const root = pt.locations.find((l) => l.path === '/');
      const involved = pt.passthroughBy.map((i) => ann(i, 'ssl-passthrough', 'passthrough'));
      if (root?.ingress && root.at) involved.push({ object: root.ingress.ref, path: root.at, role: 'location' });
      if (!root?.upstream) return { kind: 'tls-failure', via: `ssl-passthrough for ${p.host}, whose "/" location is the default backend: the TCP proxy has no address to connect to`, involved };
      // nginx.go: the TCP proxy dials the Service's ClusterIP on the port as written (a name is
      // looked up among the Service's ports).
      const b = root.upstream.backend;
      const port = typeof b.port === 'number' ? b.port : servicePort(ctx, root.upstream.namespace, b);
      if (port === undefined) return { kind: 'unknown', via: `passthrough to the named port ${b.port} of Service ${root.upstream.namespace}/${b.service}, which is not in the input`, involved };
      return { kind: 'passthrough', backends: [{ service: `${root.upstream.namespace}/${b.service}`, port, weight: 1 }], via: `ssl-passthrough: the TCP proxy forwards SNI ${p.host} to the Service of its "/" location`, involved };
    }
    const cert = certFor(ctx, p.host);
    if (!cert?.secret) {
      const involved: Involvement[] = cert ? [{ object: cert.ingress.ref, path: cert.at, role: 'certificate' }] : [];
      const sel = selectServer(ctx, p.host);
      if ('server' in sel) {
        involved.push(...hostInvolvement(ctx, p.host, sel.server));
        if (sel.server.cert && !sel.server.cert.secret) involved.push({ object: sel.server.cert.ingress.ref, path: sel.server.cert.at, role: 'certificate' });
      } else if (sel.redirect.server.wwwBy) involved.push(ann(sel.redirect.server.wwwBy, 'from-to-www-redirect', 'www-redirect'));
      return { kind: 'tls-failure', via: `no certificate is configured for ${p.host}: nginx answers with its default self-signed certificate, which a validating client refuses`, involved };
    }
    hostInv.push({ object: cert.ingress.ref, path: cert.at, role: 'certificate' });
  }

  // 2. Server.
  const sel = selectServer(ctx, p.host);
  if ('redirect' in sel) {
    const r = sel.redirect;
    // ngx_srv_redirect.lua: <scheme>://<to>:<server port><request_uri without a trailing '/'>.
    const stripped = requestUri.endsWith('/') ? requestUri.slice(0, -1) : requestUri;
    const involved: Involvement[] = [...hostInv];
    if (r.server.wwwBy) involved.push(ann(r.server.wwwBy, 'from-to-www-redirect', 'www-redirect'));
    if (r.server.wwwBy && r.server.wwwAt) involved.push({ object: r.server.wwwBy.ref, path: r.server.wwwAt, role: 'www-redirect-location' });
    return {
      kind: 'redirect',
      status: HTTP_REDIRECT_CODE,
      location: normalizeLocation(`${p.scheme}://${r.to}:${p.scheme === 'https' ? 443 : 80}${stripped}`),
      via: `from-to-www-redirect server for ${r.from}`,
      involved,
    };
  }
  const server = sel.server;
  hostInv.push(...hostInvolvement(ctx, p.host, server));

  // 3. Server-level app-root (`if ($uri = /)` per location with app-root, in location order).
  for (const l of server.locations) {
    if (!l.ann?.appRoot || p.path !== '/') continue;
    return {
      kind: 'redirect',
      status: 302,
      location: normalizeLocation(`${p.scheme}://${p.host}${l.ann.appRoot}`),
      via: `app-root of ${server.hostname}`,
      involved: [
        ...hostInv,
        ann(l.ingress!, 'app-root', 'app-root'),
        ...(l.at ? [{ object: l.ingress!.ref, path: l.at, role: 'app-root-location' }] : []),
        ...(/^GRPCS?$/.test(l.ann.backendProtocol) ? [ann(l.ingress!, 'backend-protocol', 'grpc')] : []),
      ],
    };
  }

  // 4. Location.
  const found = selectLocation(server, p.path);
  if ('unknown' in found) return { kind: 'unknown', via: found.unknown, involved: hostInv };
  if ('slash' in found) {
    return {
      kind: 'redirect',
      status: 301,
      location: normalizeLocation(`${p.scheme}://${p.host}${uri(found.slash.path, p.query)}`),
      via: `nginx's 301 for prefix location ${found.slash.path}`,
      involved: [...hostInv, ...locationInvolvement(server, found.slash).map((x) => (x.role === 'location' ? { ...x, role: 'slash-redirect' } : x))],
    };
  }
  const loc = found.loc;
  const a = loc.ann;
  const involved = [...hostInv, ...locationInvolvement(server, loc)];
  const via = `${server.hostname === DEFAULT_SERVER ? 'default server' : `server ${server.hostname}`}, location ${server.regex ? `~* "^${loc.path}"` : loc.pathType === 'Exact' ? `= ${loc.path}` : loc.path}`;

  // A location nginx denies (custom-headers it cannot use) answers 503.
  let responseHeaders: HeaderEdits = {};
  if (a?.customHeaders) {
    const cm = /^([^/]+)\/([^/]+)$/.test(a.customHeaders) ? ctx.configMaps.get(a.customHeaders) : undefined;
    const data = cm && isRecord(cm.data) ? Object.entries(cm.data) : undefined;
    const inv = ann(loc.ingress!, 'custom-headers', 'custom-headers');
    if (!data) return { kind: 'respond', status: 503, via: `${via}: custom-headers ConfigMap ${a.customHeaders} not found (location denied)`, involved: [...involved, inv] };
    if (data.some(([k, v]) => !HEADER_NAME.test(k) || typeof v !== 'string' || !HEADER_VALUE.test(v))) {
      return { kind: 'respond', status: 503, via: `${via}: custom-headers ConfigMap ${a.customHeaders} has an invalid header (location denied)`, involved: [...involved, inv] };
    }
    responseHeaders = Object.fromEntries(data.map(([k, v]) => [k.toLowerCase(), String(v)]));
    involved.push(inv);
  }

  // 5. Rewrite phase: return (redirect annotations), rewrite, then the Lua HTTPS redirect.
  if (a?.redirect) {
    const url = a.redirect.url.startsWith('/') ? `${p.scheme}://${p.host}${a.redirect.url}` : a.redirect.url;
    const inv = [ann(loc.ingress!, a.redirect.key, 'redirect-annotation')];
    if (/^GRPCS?$/.test(a.backendProtocol)) inv.push(ann(loc.ingress!, 'backend-protocol', 'grpc'));
    if (loc.ingress!.raw[`${PREFIX}${a.redirect.key}-code`] !== undefined) inv.push(ann(loc.ingress!, `${a.redirect.key}-code`, 'redirect-code'));
    return { kind: 'redirect', status: a.redirect.code, location: normalizeLocation(url), via: `${via}: ${a.redirect.key}`, involved: [...involved, ...inv] };
  }
  const exempt = NO_TLS_REDIRECT_LOCATIONS.some((x) => loc.path.startsWith(x));
  const certConfigured = certFor(ctx, p.host) !== undefined;
  if (!exempt && p.scheme === 'http' && a && (a.forceSslRedirect || (a.sslRedirect && certConfigured))) {
    const target = a.preserveTrailingSlash || !requestUri.endsWith('/') ? requestUri : requestUri.slice(0, -1);
    const inv: Involvement[] = [{ object: loc.ingress!.ref, ...(loc.ingress!.raw['nginx.ingress.kubernetes.io/force-ssl-redirect'] !== undefined && a.forceSslRedirect ? { path: annotationPath('force-ssl-redirect') } : {}), role: a.forceSslRedirect ? 'force-ssl-redirect' : 'ssl-redirect' }];
    const cert = certFor(ctx, p.host);
    if (cert) inv.push({ object: cert.ingress.ref, path: cert.at, role: 'certificate' });
    return { kind: 'redirect', status: HTTP_REDIRECT_CODE, location: normalizeLocation(`https://${p.host}${target}`), via: `${via}: HTTPS redirect (lua_ingress.lua)`, involved: [...involved, ...inv] };
  }

  // 6. Proxying.
  if (!loc.upstream) return { kind: 'respond', status: 404, via: `${via}: the default backend`, involved };
  const chosen = chooseUpstreams(ctx, server, loc, loc.upstream, p, involved);
  if ('unknown' in chosen) return { kind: 'unknown', via: `${via}: ${chosen.unknown}`, involved };
  let path = requestUri;
  const requestHeaders: HeaderEdits = {};
  const target = a?.rewriteTarget ?? '';
  if (target !== '' && target !== loc.path) {
    const re = pcre(loc.path, true);
    if (!re) return { kind: 'unknown', via: `${via}: rewrite regex "(?i)${loc.path}" cannot be run by the model`, involved };
    const m = re.exec(p.path);
    if (m) path = uri(target.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? ''), p.query);
    involved.push(ann(loc.ingress!, 'rewrite-target', 'rewrite'));
    if (a!.xForwardedPrefix) {
      requestHeaders['x-forwarded-prefix'] = a!.xForwardedPrefix;
      involved.push(ann(loc.ingress!, 'x-forwarded-prefix', 'x-forwarded-prefix'));
    }
  }
  if (a?.basicAuth) {
    // auth-type basic/digest: nginx clears the credentials before proxying (nginx.tmpl).
    requestHeaders['authorization'] = null;
    involved.push(ann(loc.ingress!, 'auth-type', 'auth'));
  }
  let host = p.host;
  if (a?.upstreamVhost) {
    host = a.upstreamVhost;
    involved.push(ann(loc.ingress!, 'upstream-vhost', 'upstream-vhost'));
  }
  const mirrors: string[] = [];
  if (a?.mirrorTarget) {
    mirrors.push(mirrorOf(loc.ingress!, a.mirrorTarget));
    involved.push(ann(loc.ingress!, 'mirror-target', 'mirror'));
  }
  if (a && /^GRPCS?$/.test(a.backendProtocol)) involved.push(ann(loc.ingress!, 'backend-protocol', 'grpc'));
  return { kind: 'forward', backends: chosen.backends, path, host, requestHeaders, responseHeaders, mirrors, via: `${via}${chosen.note ? `; ${chosen.note}` : ''}`, involved };
}

/** balancer.lua route_to_alternative_balancer: header, then cookie, then weight. */
function chooseUpstreams(ctx: EvalContext, server: Server, loc: Location, primary: Upstream, p: Probe, involved: Involvement[]): { backends: WeightedBackend[]; note?: string } | { unknown: string } {
  const target = (u: Upstream): WeightedBackend | string => {
    const port = servicePort(ctx, u.namespace, u.backend);
    if (port === undefined) return `the named port ${u.backend.port} of Service ${u.namespace}/${u.backend.service}, which is not in the input`;
    return { service: `${u.namespace}/${u.backend.service}`, port, weight: 1 };
  };
  const pri = target(primary);
  if (typeof pri === 'string') return { unknown: pri };
  const alt = primary.alternatives[0];
  // A canary upstream deleted after a failed merge leaves a dangling name: no canary.
  if (alt && ctx.config.upstreams.get(alt.name) !== alt) {
    for (const m of alt.mergedAt) involved.push({ object: m.ingress.ref, path: m.by, role: 'canary-deleted' });
    return { backends: [pri] };
  }
  if (!alt || !alt.shaping) return { backends: [pri] };
  const c = alt.shaping;
  // 'canary' where the canary was merged into this very location (by its matching path, or
  // by its defaultBackend on the catch-all server); 'canary-upstream' where the location only
  // shares the primary's upstream (the split reaches it all the same).
  // (the Exact copy of a Prefix location shares the merge of its original)
  const direct = alt.mergedAt.find((m) => m.loc === loc || (m.server === server.hostname && m.loc.at === loc.at && m.loc.ingress === loc.ingress));
  if (direct) involved.push({ object: direct.ingress.ref, path: direct.by, role: 'canary' });
  else for (const m of alt.mergedAt) involved.push({ object: m.ingress.ref, path: m.by, role: 'canary-upstream' });
  // The canary settings are those of the Ingress that created the canary upstream.
  if (alt.mergedAt.some((m) => m.ingress !== alt.ingress)) involved.push({ object: alt.ingress.ref, role: 'canary-settings' });
  // The locations the canary was merged into (their Ingress paths), which decide its reach.
  for (const m of alt.mergedAt) if (m.loc.ingress && m.loc.at && m.loc !== loc) involved.push({ object: m.loc.ingress.ref, path: m.loc.at, role: 'canary-primary' });
  const can = target(alt);
  if (typeof can === 'string') return { unknown: can };
  const header = c.header ? p.headers[c.header.toLowerCase()] : undefined;
  if (header !== undefined) {
    if (c.headerValue) {
      if (header === c.headerValue) return { backends: [can], note: `canary by ${c.header}: ${c.headerValue}` };
    } else if (c.headerPattern) {
      const re = pcre(c.headerPattern);
      if (!re) return { unknown: `canary-by-header-pattern ${c.headerPattern} cannot be run by the model` };
      if (re.test(header)) return { backends: [can], note: `canary by ${c.header} ~ ${c.headerPattern}` };
    } else if (header === 'always') return { backends: [can], note: `canary by ${c.header}: always` };
    else if (header === 'never') return { backends: [pri], note: `canary by ${c.header}: never` };
  }
  if (c.cookie) {
    const cookie = cookieValue(p.headers['cookie'], c.cookie);
    if (cookie === 'always') return { backends: [can], note: `canary by cookie ${c.cookie}` };
    if (cookie === 'never') return { backends: [pri], note: `canary by cookie ${c.cookie}: never` };
  }
  const total = c.weightTotal > 100 ? c.weightTotal : 100;
  const w = Math.min(Math.max(c.weight, 0), total);
  if (w === 0) return { backends: [pri] };
  return { backends: normalizeWeights([{ ...pri, weight: total - w }, { ...can, weight: w }]), note: `canary weight ${w}/${total}` };
}

/** nginx's $cookie_<name> (names compared case-insensitively). */
function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim().toLowerCase() === name.toLowerCase()) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** mirror-target as a comparable target: `ns/svc:port` for a Service of the Ingress's namespace. */
function mirrorOf(i: NginxIngress, target: string): string {
  const m = /^(https?):\/\/([a-z0-9.-]+)(?::(\d+))?(.*)$/.exec(target);
  if (!m) return target;
  const [, scheme, host, port, rest] = m as unknown as [string, string, string, string | undefined, string];
  const parts = host.split('.');
  const ns = parts[1] ?? i.namespace;
  const local = parts.length <= 2 || (parts[2] === 'svc' && (parts.length === 3 || parts.slice(3).join('.') === 'cluster.local'));
  if (!local || scheme !== 'http') return target;
  return `${ns}/${parts[0]}:${port ?? 80}${rest === '$request_uri' ? '' : rest}`;
}
