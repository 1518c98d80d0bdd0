/**
 * What Istio's proxies do with one request, from the Istio objects.
 *
 * Gateways (pilot/pkg/networking/core/gateway.go buildGatewayHTTPRouteConfig): the HTTP servers of
 * a port, across the Gateways sharing a proxy (same selector), make one route configuration; an
 * HTTPS server makes its own, chosen by SNI among the servers of the port (exact name, then the
 * longest wildcard, then a server without names). A virtual host per host in common between a
 * server's hosts (for the VirtualService's namespace) and a bound VirtualService's hosts (the more
 * specific of the two); the routes of every VirtualService of a host are concatenated (creation
 * order), then catch-all routes moved to the end (route.SortVHostRoutes); `tls.httpsRedirect`
 * makes the virtual host answer plain HTTP with a 301 to https (require_tls ALL). Envoy picks the
 * virtual host by Host (exact, then the longest `*.` suffix, then `*`; the port is ignored), then
 * the first route that matches; none: 404.
 *
 * Mesh (route.BuildSidecarVirtualHostWrapper): a request to a Service follows the first
 * VirtualService bound to `mesh` whose hosts name the Service (exact before wildcard); no
 * VirtualService, or none of its routes applies to the port: straight to the Service.
 *
 * Routes (route.BuildHTTPRoutesForVirtualService, TranslateRoute, TranslateRouteMatch): http
 * routes in order, each match a route; a match for another port or gateway is left out; the
 * first catch-all route ends the list. Matches: uri exact, prefix (a plain string prefix),
 * regex (RE2, the whole path), ignoreUriCase; headers, withoutHeaders (inverted, a missing header
 * is empty), method, authority, scheme as header matchers (an empty match, or regex `*`, is
 * presence); queryParams. Actions: redirect (ApplyRedirect), directResponse, destinations with
 * weights (a single destination takes everything, weight 0 is left out), the port of a
 * destination without one (GetDestinationCluster: the single port of its Service, else the port
 * the request came in on), rewrite (prefix_rewrite: the matched prefix, or the whole path for
 * exact and regex matches; uriRegexRewrite; authority), header operations at route and
 * destination level, mirrors.
 */
import type { KubeObject } from '../../../inputs/document.js';
import { normalizeWeights, queryParams, uri } from '../../http.js';
import { re2FullMatch } from '../../regex.js';
import type { HeaderEdits, Involvement, Outcome, Probe, WeightedBackend } from '../../types.js';
import { isRecord } from '../../types.js';
import {
  DOMAIN,
  exportedTo,
  intersectHosts,
  istioHostMatches,
  resolveHost,
  serverHostsFor,
  serviceOfFqdn,
  servicePorts,
  type IstioGateway,
  type IstioObjects,
  type Server,
  type VirtualService,
} from './objects.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const recs = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/** One Envoy route: an http route of a VirtualService with one of its matches (or none). */
export interface RouteEntry {
  vs: VirtualService;
  http: number;
  /** Index of the match, undefined for a route without matches. */
  match?: number;
  route: Record<string, unknown>;
  m?: Record<string, unknown>;
  catchAll: boolean;
  /** The gateway (`ns/name`) or `mesh` the route was built for. */
  parent: string;
}

/** route.IsCatchAllRoute: prefix `/` (or regex `.*`) and nothing else. */
function isCatchAll(m: Record<string, unknown> | undefined): boolean {
  if (!m) return true;
  const u = isRecord(m.uri) ? m.uri : undefined;
  const pathAll = !u || str(u.prefix) === '/' || str(u.regex) === '.*' || (u.prefix === undefined && u.exact === undefined && u.regex === undefined);
  const none = (v: unknown) => v === undefined || (isRecord(v) && Object.keys(v).length === 0);
  return pathAll && none(m.headers) && none(m.withoutHeaders) && none(m.queryParams) && m.method === undefined && m.authority === undefined && m.scheme === undefined;
}

/** The gateways a match names, resolved as the VirtualService's gateways are. */
function matchGateways(vs: VirtualService, m: Record<string, unknown>): string[] {
  return (Array.isArray(m.gateways) ? m.gateways : []).filter((g): g is string => typeof g === 'string').map((g) => (g === 'mesh' ? 'mesh' : g.includes('/') ? g : `${vs.namespace}/${g}`));
}

/** BuildHTTPRoutesForVirtualService for one port and one gateway (or `mesh`). */
export function buildRoutes(vs: VirtualService, port: number, parent: string): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (let i = 0; i < vs.http.length; i++) {
    const route = vs.http[i]!;
    const matches = recs(route.match);
    let catchAll = false;
    if (matches.length === 0) {
      out.push({ vs, http: i, route, catchAll: true, parent });
      catchAll = true;
    } else {
      for (let j = 0; j < matches.length; j++) {
        const m = matches[j]!;
        if (typeof m.port === 'number' && m.port !== 0 && m.port !== port) continue;
        const gws = matchGateways(vs, m);
        if (gws.length > 0 && !gws.includes(parent)) continue;
        const c = isCatchAll(m) && !isRecord(m.sourceLabels) && str(m.sourceNamespace) === undefined;
        out.push({ vs, http: i, match: j, route, m, catchAll: c, parent });
        if (c) {
          catchAll = true;
          break;
        }
      }
    }
    if (catchAll) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Matching

type Tri = boolean | 'unknown';

/** Envoy StringMatcher (exact, prefix, RE2 regex); an empty match or regex `*` is presence. */
function stringMatch(sm: unknown, value: string | undefined, treatMissingAsEmpty = false): Tri {
  const m = isRecord(sm) ? sm : {};
  const present = (m.exact === undefined && m.prefix === undefined && m.regex === undefined) || m.regex === '*';
  if (present) return value !== undefined;
  const v = value ?? (treatMissingAsEmpty ? '' : undefined);
  if (v === undefined) return false;
  if (typeof m.exact === 'string') return v === m.exact;
  if (typeof m.prefix === 'string') return v.startsWith(m.prefix);
  if (typeof m.regex === 'string') {
    const re = re2FullMatch(m.regex);
    return re ? re.test(v) : 'unknown';
  }
  return false;
}

function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  return a === 'unknown' || b === 'unknown' ? 'unknown' : true;
}

function authorityOf(probe: Probe): string {
  const def = probe.scheme === 'https' ? 443 : 80;
  return probe.port !== undefined && probe.port !== def ? `${probe.host}:${probe.port}` : probe.host;
}

/** TranslateRouteMatch against a request. */
export function matches(e: RouteEntry, probe: Probe): Tri {
  const m = e.m;
  if (!m) return true;
  let r: Tri = true;
  const u = isRecord(m.uri) ? m.uri : undefined;
  const icase = m.ignoreUriCase === true;
  if (u) {
    const path = icase ? probe.path.toLowerCase() : probe.path;
    if (typeof u.exact === 'string') r = and(r, path === (icase ? u.exact.toLowerCase() : u.exact));
    else if (typeof u.prefix === 'string') r = and(r, path.startsWith(icase ? u.prefix.toLowerCase() : u.prefix));
    else if (typeof u.regex === 'string') {
      const re = re2FullMatch(u.regex);
      r = and(r, re ? re.test(probe.path) : 'unknown');
    }
  }
  if (r === false) return false;
  for (const [name, sm] of Object.entries(isRecord(m.headers) ? m.headers : {})) {
    if (name.startsWith('@request.auth.claims')) r = and(r, 'unknown');
    else r = and(r, stringMatch(sm, headerValue(probe, name)));
  }
  for (const [name, sm] of Object.entries(isRecord(m.withoutHeaders) ? m.withoutHeaders : {})) {
    if (name.startsWith('@request.auth.claims')) r = and(r, 'unknown');
    else {
      const inner = stringMatch(sm, headerValue(probe, name), true);
      r = and(r, inner === 'unknown' ? 'unknown' : !inner);
    }
  }
  if (m.method !== undefined) r = and(r, stringMatch(m.method, probe.method));
  if (m.authority !== undefined) r = and(r, stringMatch(m.authority, authorityOf(probe)));
  if (m.scheme !== undefined) r = and(r, stringMatch(m.scheme, probe.scheme));
  const q = queryParams(probe.query);
  for (const [name, sm] of Object.entries(isRecord(m.queryParams) ? m.queryParams : {})) r = and(r, stringMatch(sm, q.get(name)));
  if (r === false) return false;
  // sourceLabels / sourceNamespace: the match applies to some clients only.
  if (isRecord(m.sourceLabels) || str(m.sourceNamespace) !== undefined) return 'unknown';
  return r;
}

function headerValue(probe: Probe, name: string): string | undefined {
  const n = name.toLowerCase();
  if (n === ':authority' || n === 'host') return authorityOf(probe);
  if (n === ':method') return probe.method;
  if (n === ':path') return uri(probe.path, probe.query);
  if (n === ':scheme') return probe.scheme;
  return probe.headers[n];
}

// ---------------------------------------------------------------------------------------------
// Actions

export interface Context {
  objects: IstioObjects;
}

/** A route (one match of an http route) that the request did not reach or that also matched it; value: its uri match. */
function matchInvolvement(e: RouteEntry, role: string): Involvement {
  // A later route is named whole (the first-match findings are about routes), a skipped match by its match.
  const path = e.match === undefined || role === 'also-matches' ? ['spec', 'http', e.http] : ['spec', 'http', e.http, 'match', e.match];
  const u = isRecord(e.m?.uri) ? e.m!.uri : undefined;
  const [type, value] = (u && Object.entries(u).find(([, v]) => typeof v === 'string')) ?? ['', ''];
  return { object: e.vs.ref, path, role, value: type ? `${type} ${String(value)}` : '' };
}

function involvementOf(e: RouteEntry): Involvement[] {
  const base = ['spec', 'http', e.http] as (string | number)[];
  const out: Involvement[] = [{ object: e.vs.ref, path: base, role: 'http-route', value: String(e.http) }];
  if (e.match !== undefined) {
    out.push({ object: e.vs.ref, path: [...base, 'match', e.match], role: 'http-match', value: String(e.match) });
    const u = isRecord(e.m?.uri) ? e.m!.uri : undefined;
    if (u) {
      const [type, value] = Object.entries(u).find(([, v]) => typeof v === 'string') ?? ['', ''];
      out.push({ object: e.vs.ref, path: [...base, 'match', e.match, 'uri'], role: 'uri-match', value: `${type} ${String(value)}` });
    }
  }
  return out;
}

/** Where a destination goes: a Service port, an external host, or no cluster at all (503). */
function destination(ctx: Context, vs: VirtualService, d: Record<string, unknown>, listenPort: number): { backend: WeightedBackend; missing?: string } {
  const host = str(d.host) ?? '';
  const fqdn = resolveHost(host, vs.namespace);
  const port = isRecord(d.port) && typeof d.port.number === 'number' ? d.port.number : undefined;
  const subset = str(d.subset);
  const svcKey = serviceOfFqdn(fqdn);
  let service: string;
  let p: number | undefined = port;
  let missing: string | undefined;
  if (svcKey) {
    service = svcKey;
    if (p === undefined) {
      const ports = servicePorts(ctx.objects.services.get(svcKey));
      p = ports.length === 1 ? ports[0]!.port : listenPort;
    }
  } else if (ctx.objects.serviceEntryHosts.some((h) => istioHostMatches(h, fqdn))) {
    service = `external:${fqdn}`;
    p ??= listenPort;
  } else {
    service = `!no-cluster:${fqdn}`;
    p ??= listenPort;
    missing = `${host} names no Service (Istio takes a name with a dot as fully qualified) and no ServiceEntry`;
  }
  if (subset) {
    const defined = ctx.objects.subsets.get(fqdn);
    if (defined && !defined.has(subset)) missing ??= `no DestinationRule of ${fqdn} defines the subset ${subset}`;
    service = `${service}~${subset}`;
  }
  if (missing) service = service.startsWith('!') ? service : `!no-cluster:${service}`;
  return { backend: { service, port: p, weight: 1 }, ...(missing ? { missing } : {}) };
}

function applyHeaderOps(h: unknown, requestHeaders: HeaderEdits, responseHeaders: HeaderEdits, incoming: Readonly<Record<string, string>>): string | undefined {
  if (!isRecord(h)) return undefined;
  let authority: string | undefined;
  const apply = (ops: unknown, edits: HeaderEdits, inc: Readonly<Record<string, string>>, request: boolean) => {
    if (!isRecord(ops)) return;
    // Envoy's HeaderParser removes first, then sets and appends in order.
    for (const n of Array.isArray(ops.remove) ? ops.remove : []) {
      const k = String(n).toLowerCase();
      if (k.startsWith(':') || k === 'host') continue;
      edits[k] = null;
    }
    for (const [k0, v] of Object.entries(isRecord(ops.set) ? ops.set : {})) {
      const k = k0.toLowerCase();
      if (request && (k === ':authority' || k === 'host')) authority = String(v);
      if (k.startsWith(':') || k === 'host') continue;
      edits[k] = String(v);
    }
    for (const [k0, v] of Object.entries(isRecord(ops.add) ? ops.add : {})) {
      const k = k0.toLowerCase();
      if (request && (k === ':authority' || k === 'host')) authority ??= String(v);
      if (k.startsWith(':') || k === 'host') continue;
      const prev = k in edits ? edits[k] : inc[k];
      edits[k] = prev === undefined || prev === null ? String(v) : `${prev},${String(v)}`;
    }
  };
  apply(h.request, requestHeaders, incoming, true);
  apply(h.response, responseHeaders, {}, false);
  return authority;
}

function redirectOutcome(e: RouteEntry, probe: Probe, listenPort: number, isTls: boolean, involved: Involvement[]): Outcome {
  const r = isRecord(e.route.redirect) ? e.route.redirect : {};
  const code = typeof r.redirectCode === 'number' ? r.redirectCode : 301;
  if (![0, 301, 302, 303, 307, 308].includes(code)) return { kind: 'unknown', via: `redirect code ${code} is not one Istio supports (the route has no action)`, involved };
  const scheme = str(r.scheme) ?? probe.scheme;
  let host = str(r.authority) ?? authorityOf(probe);
  if (str(r.authority) === undefined && scheme !== probe.scheme) host = probe.host; // Envoy drops the old scheme's port
  let port: number | undefined;
  if (typeof r.port === 'number') port = r.port;
  else if (str(r.derivePort) === 'FROM_REQUEST_PORT') port = listenPort;
  if (port !== undefined || r.derivePort !== undefined) {
    const s = str(r.scheme) ?? (isTls ? 'https' : 'http');
    if ((port === 80 && s === 'http') || (port === 443 && s === 'https')) port = undefined;
    if (port !== undefined) host = `${host.replace(/:\d+$/, '')}:${port}`;
  }
  let path = probe.path;
  let query = probe.query;
  if (str(r.prefixRewrite) !== undefined) {
    const prefix = matchedPrefix(e, probe);
    path = str(r.prefixRewrite)! + path.slice(prefix.length);
  } else if (str(r.uri) !== undefined && str(r.uri) !== '') {
    const u = str(r.uri)!;
    const qi = u.indexOf('?');
    if (qi >= 0) {
      path = u.slice(0, qi);
      query = u.slice(qi + 1);
    } else path = u;
  }
  return { kind: 'redirect', status: code === 0 ? 301 : code, location: `${scheme}://${host}${uri(path, query)}`, via: `redirect of http[${e.http}] of VirtualService ${e.vs.namespace}/${e.vs.name}`, involved };
}

/** The part of the path Envoy's prefix_rewrite replaces: the prefix matched, or the whole path. */
function matchedPrefix(e: RouteEntry, probe: Probe): string {
  const u = isRecord(e.m?.uri) ? e.m!.uri : undefined;
  if (!u || (u.exact === undefined && u.regex === undefined && u.prefix === undefined)) return '/';
  if (typeof u.prefix === 'string') return probe.path.slice(0, u.prefix.length);
  return probe.path;
}

/** TranslateRoute for a route that matched. */
export function applyRoute(ctx: Context, e: RouteEntry, probe: Probe, listenPort: number, isTls: boolean, extra: Involvement[]): Outcome {
  const involved = [...extra, ...involvementOf(e)];
  const where = `http[${e.http}] of VirtualService ${e.vs.namespace}/${e.vs.name}`;
  const r = e.route;
  if (r.delegate !== undefined) return { kind: 'unknown', via: `${where} delegates to another VirtualService (not simulated)`, involved };
  if (isRecord(r.redirect)) return redirectOutcome(e, probe, listenPort, isTls, involved);
  if (isRecord(r.directResponse)) {
    const status = typeof r.directResponse.status === 'number' ? r.directResponse.status : 0;
    return { kind: 'respond', status, via: `directResponse ${status} of ${where}`, involved };
  }
  if (isRecord(r.fault) && isRecord(r.fault.abort)) {
    // An abort of every request is an answer; a share of them is left out (the rest is compared).
    // TranslateFault sets Envoy's percentage only from abort.percentage: absent, it is 0%.
    const a = r.fault.abort;
    const pct = isRecord(a.percentage) && typeof a.percentage.value === 'number' ? a.percentage.value : 0;
    if (pct >= 100) {
      if (typeof a.httpStatus === 'number') return { kind: 'respond', status: a.httpStatus, via: `fault abort ${a.httpStatus} of ${where}`, involved };
      return { kind: 'unknown', via: `${where} aborts every request with a gRPC or HTTP/2 error (not simulated)`, involved };
    }
  }
  const dests = recs(r.route);
  if (dests.length === 0) return { kind: 'unknown', via: `${where} has no destination (Istio's validation refuses it)`, involved };
  const requestHeaders: HeaderEdits = {};
  const responseHeaders: HeaderEdits = {};
  let authority = applyHeaderOps(r.headers, requestHeaders, responseHeaders, probe.headers);
  const rw = isRecord(r.rewrite) ? r.rewrite : {};
  if (str(rw.authority)) authority = str(rw.authority);
  let path = probe.path;
  if (isRecord(rw.uriRegexRewrite)) {
    const m = str(rw.uriRegexRewrite.match) ?? '';
    const re = re2FullMatch(m) ? new RegExp(m.replace(/\(\?P</g, '(?<'), 'g') : undefined;
    if (!re) return { kind: 'unknown', via: `${where}: uriRegexRewrite ${m} (a regex the model cannot run)`, involved };
    path = path.replace(re, (str(rw.uriRegexRewrite.rewrite) ?? '').replace(/\\(\d)/g, '$$$1'));
  } else if (str(rw.uri)) {
    const prefix = matchedPrefix(e, probe);
    path = str(rw.uri)! + path.slice(prefix.length);
  }
  const backends: WeightedBackend[] = [];
  const missing: string[] = [];
  let destHeaders: string | undefined;
  dests.forEach((d, k) => {
    if (dests.length === 1 || (typeof d.weight === 'number' && d.weight > 0)) {
      const x = destination(ctx, e.vs, isRecord(d.destination) ? d.destination : {}, listenPort);
      involved.push({ object: e.vs.ref, path: ['spec', 'http', e.http, 'route', k], role: 'destination', value: x.backend.service });
    }
  });
  if (dests.length === 1) {
    const d = destination(ctx, e.vs, isRecord(dests[0]!.destination) ? dests[0]!.destination : {}, listenPort);
    if (d.missing) return { kind: 'respond', status: 503, via: `${where}: ${d.missing} (no cluster: 503)`, involved };
    backends.push(d.backend);
    const a = applyHeaderOps(dests[0]!.headers, requestHeaders, responseHeaders, probe.headers);
    if (a !== undefined && authority === undefined) authority = a;
  } else {
    const withHeaders = dests.filter((d) => Number(d.weight ?? 0) > 0).map((d) => JSON.stringify(d.headers ?? null));
    if (new Set(withHeaders).size > 1) return { kind: 'unknown', via: `${where}: its weighted destinations edit headers differently (one outcome per request cannot say which)`, involved };
    destHeaders = withHeaders[0];
    for (const d of dests) {
      const w = typeof d.weight === 'number' ? d.weight : 0;
      if (w <= 0) continue;
      const x = destination(ctx, e.vs, isRecord(d.destination) ? d.destination : {}, listenPort);
      if (x.missing) missing.push(x.missing);
      backends.push({ ...x.backend, weight: w });
    }
    if (backends.length === 0) return { kind: 'unknown', via: `${where}: no destination has a weight (Istio's validation refuses it)`, involved };
    if (destHeaders && destHeaders !== 'null') {
      const a = applyHeaderOps(JSON.parse(destHeaders), requestHeaders, responseHeaders, probe.headers);
      if (a !== undefined && authority === undefined) authority = a;
    }
  }
  const mirrors: string[] = [];
  const addMirror = (d: unknown, pct: unknown) => {
    if (!isRecord(d)) return;
    if (isRecord(pct) && typeof pct.value === 'number' && pct.value <= 0) return;
    const x = destination(ctx, e.vs, d, listenPort);
    mirrors.push(`${x.backend.service}:${x.backend.port}`);
  };
  if (isRecord(r.mirror)) {
    const zero = (isRecord(r.mirrorPercentage) && Number(r.mirrorPercentage.value) <= 0) || (isRecord(r.mirrorPercent) && Number(r.mirrorPercent.value) <= 0) || r.mirrorPercent === 0;
    if (!zero) addMirror(r.mirror, undefined);
  }
  for (const m of recs(r.mirrors)) addMirror(m.destination, m.percentage);
  return {
    kind: 'forward',
    backends: normalizeWeights(backends),
    path: uri(path, probe.query),
    host: authority ?? probe.host,
    requestHeaders,
    responseHeaders,
    mirrors: mirrors.sort(),
    via: `${where}${missing.length ? `; part of the traffic gets 503: ${missing.join('; ')}` : ''}`,
    involved,
  };
}

/** The first route that matches, applied; none: 404. */
function firstMatch(ctx: Context, routes: readonly RouteEntry[], probe: Probe, listenPort: number, isTls: boolean, extra: Involvement[], what: string): Outcome {
  // The routes tried before the answer, and the later ones the request also matches: first
  // match wins is what decided between them.
  const skipped: Involvement[] = [];
  for (let i = 0; i < routes.length; i++) {
    const e = routes[i]!;
    const m = matches(e, probe);
    if (m === false) {
      skipped.push(matchInvolvement(e, 'skipped-match'));
      continue;
    }
    if (m === 'unknown') return { kind: 'unknown', via: `http[${e.http}] of VirtualService ${e.vs.namespace}/${e.vs.name} has a match the model cannot evaluate (a regex outside RE2/JavaScript, a JWT claim, or a client-dependent sourceLabels/sourceNamespace)`, involved: [...extra, ...involvementOf(e)] };
    // Later routes: those that also match, and those that do not (a Gateway API rule may still
    // take the request where the two match differently).
    const also = routes.slice(i + 1).map((x) => matchInvolvement(x, matches(x, probe) === true ? 'also-matches' : 'later-match'));
    return applyRoute(ctx, e, probe, listenPort, isTls, [...extra, ...skipped, ...also]);
  }
  const vss = [...new Set(routes.map((r) => r.vs))];
  return { kind: 'respond', status: 404, via: `no route of ${what} matches (Envoy: 404 NR)`, involved: [...extra, ...vss.map((v) => ({ object: v.ref, role: 'virtual-service' })), ...skipped] };
}

// ---------------------------------------------------------------------------------------------
// Gateways

interface VirtualHost {
  domain: string;
  routes: RouteEntry[];
  requireTls: boolean;
  servers: Server[];
}

/** VirtualServicesForGateway: the ones bound to the gateway and exported to its namespace, private ones first. */
function virtualServicesFor(ctx: Context, gw: IstioGateway): VirtualService[] {
  const key = `${gw.namespace}/${gw.name}`;
  const bound = ctx.objects.virtualServices.filter((v) => v.gateways.includes(key) && exportedTo(v, gw.namespace));
  const priv = bound.filter((v) => v.exportTo.length > 0 && v.exportTo.every((e) => e === '.' || e === v.namespace));
  return [...priv, ...bound.filter((v) => !priv.includes(v))];
}

/** buildGatewayHTTPRouteConfig for a set of servers sharing a route configuration. */
export function virtualHosts(ctx: Context, servers: readonly Server[]): VirtualHost[] {
  const byDomain = new Map<string, VirtualHost>();
  for (const server of servers) {
    const gwName = `${server.gateway.namespace}/${server.gateway.name}`;
    for (const vs of virtualServicesFor(ctx, server.gateway)) {
      const hosts = intersectHosts(serverHostsFor(server, vs.namespace), vs.hosts);
      if (hosts.length === 0) continue;
      const routes = buildRoutes(vs, server.port, gwName);
      if (routes.length === 0) continue;
      for (const h of hosts) {
        let vh = byDomain.get(h);
        if (!vh) byDomain.set(h, (vh = { domain: h, routes: [], requireTls: false, servers: [] }));
        vh.routes.push(...routes);
        if (server.httpsRedirect) vh.requireTls = true;
        if (!vh.servers.includes(server)) vh.servers.push(server);
      }
    }
    if (server.httpsRedirect) {
      // gateway.go walks server.Hosts as written, `namespace/` included: such a name never
      // matches a Host header, only a bare host gets a redirect-only virtual host.
      for (const raw of server.hosts.map((h) => (h.namespace === '*' && !h.host.includes('/') ? h.host : `${h.namespace}/${h.host}`))) {
        const vh = byDomain.get(raw);
        if (vh) vh.requireTls = true;
        else byDomain.set(raw, { domain: raw, routes: [], requireTls: true, servers: [server] });
      }
    }
  }
  const out = [...byDomain.values()];
  // SortVHostRoutes: catch-all routes last, the rest in order.
  for (const vh of out) vh.routes = [...vh.routes.filter((r) => !r.catchAll), ...vh.routes.filter((r) => r.catchAll)];
  return out;
}

/** Envoy's virtual host selection: exact, longest `*.` suffix, `*`; case-insensitive, port ignored. */
export function pickVirtualHost<T extends { domain: string }>(vhs: readonly T[], host: string): T | undefined {
  const h = host.toLowerCase();
  const exact = vhs.find((v) => v.domain === h);
  if (exact) return exact;
  let best: T | undefined;
  for (const v of vhs) {
    if (v.domain.startsWith('*.') || (v.domain.startsWith('*') && v.domain.length > 1)) {
      if (h.endsWith(v.domain.slice(1)) && h.length > v.domain.length - 1 && (!best || v.domain.length > best.domain.length)) best = v;
    }
  }
  return best ?? vhs.find((v) => v.domain === '*');
}

/** The server names of a server, for SNI filter chain matching (`*` or empty: any). */
function sniScore(names: readonly string[], sni: string): number {
  let best = -1;
  for (const n of names) {
    if (n === '*') best = Math.max(best, 0);
    else if (n.startsWith('*.')) {
      if (sni.endsWith(n.slice(1)) && sni.length > n.length - 1) best = Math.max(best, n.length);
    } else if (n === sni) best = Math.max(best, 1_000_000);
  }
  return best;
}

function serverInvolvement(s: Server): Involvement {
  return { object: s.gateway.ref, path: s.path, role: 'server', value: String(s.port) };
}

/** The first tcp route (in VirtualService order) whose match takes a connection on `port` from `parent`. */
function tcpRouteFor(vss: readonly VirtualService[], port: number, parent: string): { vs: VirtualService; index: number } | undefined {
  for (const vs of vss) {
    for (let i = 0; i < vs.tcp.length; i++) {
      const t = vs.tcp[i]!;
      const ms = recs(t.match);
      // gateway.go l4MultiMatch: no match takes everything; else one match whose port and gateways fit.
      const ok =
        ms.length === 0 ||
        ms.some((m) => (typeof m.port !== 'number' || m.port === 0 || m.port === port) && (matchGateways(vs, m).length === 0 || matchGateways(vs, m).includes(parent)));
      if (ok && recs(t.route).length > 0) return { vs, index: i };
    }
  }
  return undefined;
}

/** A tcp route's weighted destinations (buildOutboundNetworkFilters). */
function tcpOutcome(ctx: Context, vs: VirtualService, index: number, port: number, extra: Involvement[]): Outcome {
  const dests = recs(vs.tcp[index]!.route);
  const involved: Involvement[] = [...extra, { object: vs.ref, path: ['spec', 'tcp', index], role: 'tcp-route', value: String(index) }];
  const backends: WeightedBackend[] = [];
  dests.forEach((d, k) => {
    const w = dests.length === 1 ? 1 : typeof d.weight === 'number' ? d.weight : 0;
    if (w <= 0) return;
    const x = destination(ctx, vs, isRecord(d.destination) ? d.destination : {}, port);
    backends.push({ ...x.backend, weight: w });
    involved.push({ object: vs.ref, path: ['spec', 'tcp', index, 'route', k], role: 'destination', value: x.backend.service });
  });
  if (backends.length === 0) return { kind: 'respond', status: 0, via: `tcp[${index}] of VirtualService ${vs.namespace}/${vs.name} has no destination (the connection is closed)`, involved };
  return { kind: 'passthrough', backends: normalizeWeights(backends), via: `TCP by tcp[${index}] of VirtualService ${vs.namespace}/${vs.name}`, involved };
}

/** A request to the proxy shared by `gateways` (one selector). */
export function evaluateGateway(ctx: Context, gateways: readonly IstioGateway[], probe: Probe): Outcome {
  const port = probe.port ?? (probe.scheme === 'https' ? 443 : 80);
  const servers = gateways.flatMap((g) => g.servers).filter((s) => s.port === port);
  if (probe.scheme === 'tcp') {
    const tcp = servers.find((s) => s.kind === 'TCP');
    if (!tcp) return { kind: 'respond', status: 0, via: `no TCP server on port ${port} (connection refused)`, involved: servers.map(serverInvolvement) };
    const gwName = `${tcp.gateway.namespace}/${tcp.gateway.name}`;
    const vss = virtualServicesFor(ctx, tcp.gateway).filter((vs) => intersectHosts(serverHostsFor(tcp, vs.namespace), vs.hosts).length > 0);
    const r = tcpRouteFor(vss, port, gwName);
    if (!r) return { kind: 'respond', status: 0, via: `no tcp route of a VirtualService bound to ${gwName} takes port ${port} (the connection is closed)`, involved: [serverInvolvement(tcp)] };
    return tcpOutcome(ctx, r.vs, r.index, port, [serverInvolvement(tcp)]);
  }
  if (probe.scheme === 'http') {
    const http = servers.filter((s) => s.kind === 'HTTP');
    if (http.length === 0) return { kind: 'respond', status: 0, via: `no HTTP server on port ${port} (connection refused)`, involved: servers.map(serverInvolvement) };
    return routeHttp(ctx, http, probe, port, false);
  }
  // TLS: the filter chain by SNI among HTTPS servers and passthrough routes.
  let best: { score: number; server?: Server; tls?: { vs: VirtualService; index: number; server: Server } } = { score: -1 };
  for (const s of servers) {
    if (s.kind === 'HTTPS') {
      const score = sniScore(
        s.hosts.map((h) => h.host),
        probe.host,
      );
      if (score > best.score) best = { score, server: s };
    } else if (s.kind === 'PASSTHROUGH') {
      const gwName = `${s.gateway.namespace}/${s.gateway.name}`;
      for (const vs of virtualServicesFor(ctx, s.gateway)) {
        if (intersectHosts(serverHostsFor(s, vs.namespace), vs.hosts).length === 0) continue;
        vs.tls.forEach((t, i) => {
          for (const m of recs(t.match)) {
            if (typeof m.port === 'number' && m.port !== port) continue;
            const gws = matchGateways(vs, m);
            if (gws.length > 0 && !gws.includes(gwName)) continue;
            const sni = (Array.isArray(m.sniHosts) ? m.sniHosts : []).filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase());
            const score = sniScore(sni, probe.host);
            // The first route of a name keeps it (duplicate SNI hosts are skipped).
            if (score > best.score) best = { score, tls: { vs, index: i, server: s } };
          }
        });
      }
    }
  }
  if (best.server) {
    const s = best.server;
    return routeHttp(ctx, [s], probe, port, true);
  }
  if (best.tls) {
    const { vs, index, server } = best.tls;
    const t = vs.tls[index]!;
    const involved: Involvement[] = [serverInvolvement(server), { object: vs.ref, path: ['spec', 'tls', index], role: 'tls-route', value: String(index) }];
    const dests = recs(t.route);
    const backends: WeightedBackend[] = [];
    for (const d of dests) {
      const w = dests.length === 1 ? 1 : typeof d.weight === 'number' ? d.weight : 0;
      if (w <= 0) continue;
      const x = destination(ctx, vs, isRecord(d.destination) ? d.destination : {}, port);
      backends.push({ ...x.backend, weight: w });
      involved.push({ object: vs.ref, path: ['spec', 'tls', index, 'route', dests.indexOf(d)], role: 'destination', value: x.backend.service });
    }
    if (backends.length === 0) return { kind: 'tls-failure', via: `tls[${index}] of VirtualService ${vs.namespace}/${vs.name} has no destination`, involved };
    return { kind: 'passthrough', backends: normalizeWeights(backends), via: `TLS passthrough by tls[${index}] of VirtualService ${vs.namespace}/${vs.name}`, involved };
  }
  return { kind: 'tls-failure', via: `no server or tls route on port ${port} takes the SNI ${probe.host}`, involved: servers.map(serverInvolvement) };
}

function routeHttp(ctx: Context, servers: readonly Server[], probe: Probe, port: number, isTls: boolean): Outcome {
  const vhs = virtualHosts(ctx, servers);
  const vh = pickVirtualHost(vhs, probe.host);
  const what = `port ${port} of Gateway ${[...new Set(servers.map((s) => `${s.gateway.namespace}/${s.gateway.name}`))].join(', ')}`;
  if (!vh) return { kind: 'respond', status: 404, via: `no virtual host of ${what} takes the host ${probe.host} (Envoy: 404 NR)`, involved: servers.map(serverInvolvement) };
  const extra = vh.servers.map(serverInvolvement);
  if (vh.requireTls && !isTls) {
    return { kind: 'redirect', status: 301, location: `https://${probe.host}${uri(probe.path, probe.query)}`, via: `tls.httpsRedirect of ${what}`, involved: [...extra.map((i) => ({ ...i, role: 'https-redirect' }))] };
  }
  return firstMatch(ctx, vh.routes, probe, port, isTls, extra, `the virtual host ${vh.domain} of ${what}`);
}

// ---------------------------------------------------------------------------------------------
// Mesh

/** The VirtualService a sidecar applies to requests for `fqdn`: exact host first (oldest), then the most specific wildcard. */
export function meshVirtualService(ctx: Context, fqdn: string): VirtualService | undefined {
  const mesh = ctx.objects.virtualServices.filter((v) => v.gateways.includes('mesh'));
  const exact = mesh.find((v) => v.hosts.includes(fqdn));
  if (exact) return exact;
  let best: VirtualService | undefined;
  let len = -1;
  for (const v of mesh) {
    for (const h of v.hosts) {
      if (h !== fqdn && istioHostMatches(h, fqdn) && h.length > len) {
        best = v;
        len = h.length;
      }
    }
  }
  return best;
}

export function evaluateMesh(ctx: Context, probe: Probe): Outcome {
  const { service, port } = probe.mesh!;
  const [ns, name] = service.split('/') as [string, string];
  const fqdn = `${name}.${ns}.${DOMAIN}`;
  const svcRef = { apiVersion: 'v1', kind: 'Service', namespace: ns, name };
  const direct: Outcome = { kind: 'forward', backends: [{ service, port, weight: 1 }], path: uri(probe.path, probe.query), host: probe.host, requestHeaders: {}, responseHeaders: {}, mirrors: [], via: `no VirtualService route applies to Service ${service} port ${port}: the request reaches it directly`, involved: [{ object: svcRef, role: 'service' }] };
  const vs = meshVirtualService(ctx, fqdn);
  if (probe.scheme === 'tcp') {
    const r = vs ? tcpRouteFor([vs], port, 'mesh') : undefined;
    if (!r) return { kind: 'passthrough', backends: [{ service, port, weight: 1 }], via: `no tcp route applies to Service ${service} port ${port}: the connection reaches it directly`, involved: [{ object: svcRef, role: 'service' }] };
    return tcpOutcome(ctx, r.vs, r.index, port, [{ object: r.vs.ref, role: 'mesh-virtual-service' }]);
  }
  if (!vs) return direct;
  const routes = buildRoutes(vs, port, 'mesh');
  if (routes.length === 0) return { ...direct, involved: [...direct.involved, { object: vs.ref, role: 'virtual-service' }] };
  return firstMatch(ctx, routes, probe, port, false, [{ object: vs.ref, role: 'mesh-virtual-service' }], `VirtualService ${vs.namespace}/${vs.name} for Service ${service}`);
}

/** Ports of the Service a mesh host names: from its manifest, else those the VirtualServices use, else 80. */
export function meshPorts(ctx: Context, service: string, vs: VirtualService): number[] {
  const svc: KubeObject | undefined = ctx.objects.services.get(service);
  const ports = servicePorts(svc).map((p) => p.port);
  if (ports.length) return ports;
  const out = new Set<number>();
  for (const h of [...vs.http, ...vs.tcp]) for (const m of recs(h.match)) if (typeof m.port === 'number' && m.port > 0) out.add(m.port);
  return out.size ? [...out].sort((a, b) => a - b) : [80];
}
