/**
 * The Gateway API v1.6.1 routing model: what a conformant implementation does with one request,
 * given only the Gateway API objects.
 *
 * - Listener: the Gateway's listeners on the request's port; for HTTPS/TLS the SNI, for HTTP the
 *   Host header, picks the most specific hostname (exact, then the wildcard with most labels,
 *   then no hostname). An invalid listener (certificate not permitted, conflict) does not serve.
 * - Routes: those attached to that listener (attachment rules in objects.ts), whose hostnames
 *   (intersected with the listener's) match the Host.
 * - Precedence, as HTTPRouteRule.matches orders it: characters of the matching non-wildcard
 *   hostname, of the matching hostname; Exact path; longest PathPrefix; method; most header
 *   matches; most query matches; oldest route; namespace/name; rule order.
 *   RegularExpression paths are implementation-specific: by default ranked as Envoy Gateway
 *   v1.9.0 does (internal/gatewayapi/sort.go: Exact > RegularExpression > PathPrefix, longer
 *   value first), or as Istio does (Exact > PathPrefix > RegularExpression). Regexes are RE2,
 *   matched against the whole path (Envoy safe_regex).
 * - GRPCRoute: service and method characters, then header matches; a rule without matches takes
 *   every call.
 * - Filters: RequestRedirect (scheme, hostname, port, path, statusCode; the query is kept),
 *   URLRewrite (hostname, ReplaceFullPath, ReplacePrefixMatch), request/response header
 *   modifiers, RequestMirror; weighted backendRefs (cross-namespace ones need a ReferenceGrant);
 *   a rule with no usable backend answers 500.
 * - TLS listeners in Passthrough mode: TLSRoutes by SNI.
 * - GAMMA: routes whose parentRef is a Service take the requests sent to that Service.
 */
import type { KubeObject } from '../../inputs/document.js';
import { gatewayHostMatches, hostnamesIntersect, narrower, normalizeLocation, normalizeWeights, pathPrefixMatches, queryParams, replacePrefix, uri } from '../http.js';
import { re2FullMatch } from '../regex.js';
import type { HeaderEdits, Involvement, Outcome, Probe, WeightedBackend } from '../types.js';
import { isRecord } from '../types.js';
import { GROUP, GatewayObjects, type Attachment, type Listener, type Route } from './objects.js';

export type RegexPrecedence = 'envoy-gateway' | 'istio';

export interface GatewayModelOptions {
  /** Where RegularExpression path matches rank (implementation-specific). Default envoy-gateway. */
  regexPrecedence?: RegexPrecedence;
  /**
   * HTTPS listeners without certificateRefs take their certificates from ACM (AWS Load Balancer
   * Controller's Gateway support, `--target aws-lbc`) instead of being invalid.
   */
  awsLbcCertificates?: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const recs = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/** How specific a hostname match is: exact beats wildcard, more labels beat fewer. */
function hostSpecificity(pattern: string | undefined): number {
  if (pattern === undefined) return 0;
  if (!pattern.startsWith('*.')) return 1_000_000 + pattern.length;
  return 1_000 + pattern.split('.').length;
}

interface Candidate {
  attachment: Attachment;
  ruleIndex: number;
  rule: Record<string, unknown>;
  match: Record<string, unknown> | undefined;
  key: number[];
  tie: string;
}

function compareKeys(a: Candidate, b: Candidate): number {
  for (let i = 0; i < Math.max(a.key.length, b.key.length); i++) {
    const d = (b.key[i] ?? 0) - (a.key[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0;
}

function routeInvolvement(r: Route, ruleIndex?: number, match?: Record<string, unknown>): Involvement[] {
  const out: Involvement[] = [{ object: r.ref, role: ruleIndex === undefined ? 'route' : `route rule ${ruleIndex + 1}` }];
  if (match !== undefined && isRecord(match.path)) out.push({ object: r.ref, role: 'route-match', value: `${str(match.path.type) ?? 'PathPrefix'} ${str(match.path.value) ?? '/'}` });
  for (const s of r.sources) out.push({ object: s, role: 'route-source' });
  return out;
}

function listenerInvolvement(l: Listener): Involvement {
  return { object: l.owner, role: `listener ${l.name}` };
}

export class GatewayApiModel {
  readonly objects: GatewayObjects;
  private readonly regexPrecedence: RegexPrecedence;
  private intendedCache: readonly Attachment[] | undefined;

  constructor(objects: readonly KubeObject[], opts: GatewayModelOptions = {}) {
    this.objects = new GatewayObjects(objects, { awsLbcCertificates: opts.awsLbcCertificates ?? false });
    this.regexPrecedence = opts.regexPrecedence ?? 'envoy-gateway';
  }

  /** `ns/name` of every Gateway. */
  gatewayKeys(): string[] {
    return [...this.objects.gateways.keys()].sort();
  }

  /**
   * Gateways that would receive traffic for `host` through DNS: those with a route naming it,
   * accepted or refused only for an HTTPRoute/GRPCRoute conflict (see intended()); an exact
   * hostname wins over a wildcard, as a DNS record would.
   */
  gatewaysServing(host: string): string[] {
    let best = -1;
    let out = new Set<string>();
    for (const a of this.intended()) {
      for (const h of a.hostnames.length ? a.hostnames : a.listener.hostname ? [a.listener.hostname] : []) {
        if (!gatewayHostMatches(h, host)) continue;
        const s = hostSpecificity(h);
        if (s > best) {
          best = s;
          out = new Set([a.listener.gateway]);
        } else if (s === best) out.add(a.listener.gateway);
      }
    }
    return [...out].sort();
  }

  /** Whether a Gateway has routes without hostnames (a catch-all for hosts no route names). */
  hasCatchAll(gatewayKey: string): boolean {
    return this.intended().some((a) => a.listener.gateway === gatewayKey && a.hostnames.length === 0 && !a.listener.hostname);
  }

  /**
   * The attachments DNS is set up for: the accepted ones, and those a listener refused only
   * because of an HTTPRoute/GRPCRoute hostname conflict. Such a route still sends its hosts'
   * traffic to that Gateway (its parentRef names the listener); the Gateway then answers
   * without it, which is the difference to report, not a reason to look elsewhere.
   */
  private intended(): readonly Attachment[] {
    if (this.intendedCache) return this.intendedCache;
    const refused: Attachment[] = [];
    for (const r of this.objects.rejected) {
      if (!r.listener) continue;
      const l = r.listener;
      const hostnames = r.route.hostnames.length === 0 || !l.hostname ? [...r.route.hostnames] : r.route.hostnames.filter((h) => hostnamesIntersect(h, l.hostname!)).map((h) => narrower(h, l.hostname!));
      refused.push({ route: r.route, listener: l, hostnames });
    }
    return (this.intendedCache = [...this.objects.attachments, ...refused]);
  }

  /** Source objects of the routes of a Gateway that name `host` (from their provenance annotation). */
  routeSources(gatewayKey: string, host: string): Involvement[] {
    const out: Involvement[] = [];
    for (const a of this.objects.attachments) {
      if (a.listener.gateway !== gatewayKey || (a.hostnames.length > 0 && !a.hostnames.some((h) => gatewayHostMatches(h, host)))) continue;
      out.push({ object: a.route.ref, role: 'route' }, ...a.route.sources.map((s) => ({ object: s, role: 'route-source' })));
    }
    return out;
  }

  /** The request as the Gateway `gatewayKey` (`ns/name`) answers it. */
  evaluate(gatewayKey: string, probe: Probe): Outcome {
    const port = probe.port ?? (probe.scheme === 'https' ? 443 : 80);
    const gw = this.objects.gateways.get(gatewayKey);
    const gwRef = gw ? { apiVersion: gw.apiVersion, kind: 'Gateway', namespace: gw.metadata.namespace ?? 'default', name: gw.metadata.name ?? '' } : { kind: 'Gateway', name: gatewayKey };
    const onPort = this.objects.listeners.filter((l) => l.gateway === gatewayKey && l.port === port);
    if (probe.scheme === 'tcp') return this.tcpRoute(gatewayKey, gwRef, onPort.filter((l) => l.protocol === 'TCP'), port);
    const family = probe.scheme === 'https' ? ['HTTPS', 'TLS'] : ['HTTP'];
    const eligible = onPort.filter((l) => family.includes(l.protocol));
    const listener = this.pickListener(eligible, probe.host);
    if (!listener) {
      if (probe.scheme === 'https') return { kind: 'tls-failure', via: `no listener of Gateway ${gatewayKey} on port ${port} takes the SNI ${probe.host}`, involved: [{ object: gwRef, role: 'gateway' }] };
      if (eligible.length === 0) return { kind: 'respond', status: 0, via: `Gateway ${gatewayKey} has no HTTP listener on port ${port} (connection refused)`, involved: [{ object: gwRef, role: 'gateway' }] };
      return { kind: 'respond', status: 404, via: `no listener of Gateway ${gatewayKey} on port ${port} takes the host ${probe.host}`, involved: [{ object: gwRef, role: 'gateway' }] };
    }
    if (listener.invalid) {
      const involved = [listenerInvolvement(listener)];
      if (probe.scheme === 'https') return { kind: 'tls-failure', via: `listener ${listener.name} does not serve: ${listener.invalid}`, involved };
      return { kind: 'respond', status: 404, via: `listener ${listener.name} does not serve: ${listener.invalid}`, involved };
    }
    // A certificate for a wildcard name covers one label (RFC 6125 6.4.3), whatever the
    // listener hostname matches: a deeper SNI fails validation on a terminating listener.
    if (probe.scheme === 'https' && listener.tlsMode === 'Terminate' && listener.hostname?.startsWith('*.') && listener.certificates.length > 0 && probe.host.slice(0, probe.host.length - listener.hostname.length + 1).includes('.')) {
      return { kind: 'tls-failure', via: `listener ${listener.name}'s certificate for ${listener.hostname} does not cover ${probe.host} (a wildcard covers one label)`, involved: [listenerInvolvement(listener)] };
    }
    if (listener.protocol === 'TLS') return this.tlsRoute(listener, probe);
    return this.httpRoute(listener, probe, port);
  }

  private pickListener(ls: readonly Listener[], host: string): Listener | undefined {
    let best: Listener | undefined;
    let bestScore = -1;
    for (const l of ls) {
      if (l.hostname !== undefined && !gatewayHostMatches(l.hostname, host)) continue;
      const s = hostSpecificity(l.hostname);
      if (s > bestScore) {
        best = l;
        bestScore = s;
      }
    }
    return best;
  }

  private tlsRoute(listener: Listener, probe: Probe): Outcome {
    if (listener.tlsMode !== 'Passthrough') return { kind: 'unknown', via: `TLS listener ${listener.name} terminates TLS (TLSRoute Terminate mode is not modelled)`, involved: [listenerInvolvement(listener)] };
    let best: Attachment | undefined;
    let bestScore = -1;
    for (const a of this.objects.attachments) {
      if (a.listener !== listener || a.route.kind !== 'TLSRoute') continue;
      const hosts = a.hostnames.length ? a.hostnames : [listener.hostname ?? '*'];
      for (const h of hosts) {
        if (h !== '*' && !gatewayHostMatches(h, probe.host)) continue;
        const s = h === '*' ? 0 : hostSpecificity(h);
        if (s > bestScore || (s === bestScore && best && routeOrder(a.route, best.route) < 0)) {
          best = a;
          bestScore = s;
        }
      }
    }
    if (!best) return { kind: 'tls-failure', via: `no TLSRoute on listener ${listener.name} takes the SNI ${probe.host}`, involved: [listenerInvolvement(listener)] };
    const rule = best.route.rules[0] ?? {};
    const { backends, problems } = this.backends(best.route, rule);
    const involved = [listenerInvolvement(listener), ...routeInvolvement(best.route, 0)];
    if (backends.length === 0) return { kind: 'tls-failure', via: `TLSRoute ${best.route.namespace}/${best.route.name} has no usable backend${problems.length ? `: ${problems.join('; ')}` : ''}`, involved };
    return { kind: 'passthrough', backends, via: `TLS passthrough by TLSRoute ${best.route.namespace}/${best.route.name}`, involved };
  }

  /** A TCP connection: the oldest TCPRoute on the port's TCP listener takes it (one rule, weighted backends). */
  private tcpRoute(gatewayKey: string, gwRef: Involvement['object'], listeners: readonly Listener[], port: number): Outcome {
    const listener = listeners.find((l) => !l.invalid);
    if (!listener) return { kind: 'respond', status: 0, via: `Gateway ${gatewayKey} has no usable TCP listener on port ${port} (connection refused)`, involved: [{ object: gwRef, role: 'gateway' }] };
    const attached = this.objects.attachments.filter((a) => a.listener === listener && a.route.kind === 'TCPRoute').sort((a, b) => routeOrder(a.route, b.route));
    const best = attached[0];
    if (!best) return { kind: 'respond', status: 0, via: `no TCPRoute on listener ${listener.name} (the connection is closed)`, involved: [listenerInvolvement(listener)] };
    const { backends, problems } = this.backends(best.route, best.route.rules[0] ?? {});
    const involved = [listenerInvolvement(listener), ...routeInvolvement(best.route, 0)];
    if (backends.length === 0) return { kind: 'respond', status: 0, via: `TCPRoute ${best.route.namespace}/${best.route.name} has no usable backend${problems.length ? `: ${problems.join('; ')}` : ''} (the connection is closed)`, involved };
    return { kind: 'passthrough', backends, via: `TCP by TCPRoute ${best.route.namespace}/${best.route.name}`, involved };
  }

  private httpRoute(listener: Listener, probe: Probe, port: number): Outcome {
    const candidates: Candidate[] = [];
    for (const a of this.objects.attachments) {
      if (a.listener !== listener || (a.route.kind !== 'HTTPRoute' && a.route.kind !== 'GRPCRoute')) continue;
      let hostKey: number[] | undefined;
      const hosts = a.hostnames.length ? a.hostnames : listener.hostname ? [listener.hostname] : [];
      if (hosts.length === 0) hostKey = [0, 0];
      for (const h of hosts) {
        if (!gatewayHostMatches(h, probe.host)) continue;
        const k = h.startsWith('*.') ? [0, h.length] : [h.length, h.length];
        if (!hostKey || k[0]! > hostKey[0]! || (k[0] === hostKey[0] && k[1]! > hostKey[1]!)) hostKey = k;
      }
      if (!hostKey) continue;
      const tie = `${a.route.creationTimestamp || '~'}\u0000${a.route.namespace}/${a.route.name}`;
      a.route.rules.forEach((rule, ri) => {
        const matches = recs(rule.matches);
        const list: (Record<string, unknown> | undefined)[] = matches.length ? matches : [undefined];
        list.forEach((m, mi) => {
          const key = a.route.kind === 'HTTPRoute' ? [...hostKey!, ...this.httpMatchKey(m)] : [...hostKey!, ...grpcMatchKey(m)];
          candidates.push({ attachment: a, ruleIndex: ri, rule, match: m, key, tie: `${tie}\u0000${String(ri).padStart(4, '0')}\u0000${String(mi).padStart(4, '0')}` });
        });
      });
    }
    candidates.sort(compareKeys);
    // Routes this listener did not accept (a conflict) that would have applied to the host: they
    // are part of whatever the listener answers.
    const rejected: Involvement[] = this.objects.rejected
      .filter((x) => x.listener === listener && (x.route.hostnames.length === 0 || x.route.hostnames.some((h) => gatewayHostMatches(h, probe.host))))
      .flatMap((x) => [{ object: x.route.ref, role: 'rejected-route' }, ...x.route.sources.map((s) => ({ object: s, role: 'rejected-route-source' }))]);
    for (const c of candidates) {
      const m = c.attachment.route.kind === 'HTTPRoute' ? httpMatches(c.match, probe) : grpcMatches(c.match, probe);
      if (m === 'unknown') {
        return { kind: 'unknown', via: `rule ${c.ruleIndex + 1} of ${c.attachment.route.kind} ${c.attachment.route.namespace}/${c.attachment.route.name} has a match the model cannot evaluate (a regular expression outside the common RE2/JavaScript syntax)`, involved: routeInvolvement(c.attachment.route, c.ruleIndex) };
      }
      if (!m) continue;
      const out = this.applyRule(c, probe, port, listener);
      out.involved.push(...rejected);
      return out;
    }
    return { kind: 'respond', status: 404, via: `no route rule on listener ${listener.name} matches`, involved: [listenerInvolvement(listener), ...rejected] };
  }

  private httpMatchKey(m: Record<string, unknown> | undefined): number[] {
    const path = isRecord(m?.path) ? m!.path : { type: 'PathPrefix', value: '/' };
    const type = str(path.type) ?? 'PathPrefix';
    const value = str(path.value) ?? '/';
    const regexRank = this.regexPrecedence === 'envoy-gateway' ? 2 : 0;
    const typeRank = type === 'Exact' ? 3 : type === 'RegularExpression' ? regexRank : 1;
    // "When specified, a trailing `/` is ignored" (HTTPPathMatch): /api/ ranks as /api, as
    // Istio's implementation does (pilot config/kube/gateway: TrimSuffix, then getURILength).
    const len = type === 'PathPrefix' ? (value === '/' ? 0 : value.replace(/(.)\/$/, '$1').length) : value.length;
    return [typeRank, len, m?.method !== undefined ? 1 : 0, recs(m?.headers).length, recs(m?.queryParams).length];
  }

  private applyRule(c: Candidate, probe: Probe, port: number, listener: Listener): Outcome {
    const route = c.attachment.route;
    const involved = [listenerInvolvement(listener), ...routeInvolvement(route, c.ruleIndex, c.match)];
    const where = `rule ${c.ruleIndex + 1} of ${route.kind} ${route.namespace}/${route.name}`;
    const filters = recs(c.rule.filters);
    const matchPath = isRecord(c.match?.path) ? c.match!.path : { type: 'PathPrefix', value: '/' };
    const prefix = str(matchPath.type) === 'PathPrefix' ? str(matchPath.value) ?? '/' : undefined;
    let host = probe.host;
    let path = probe.path;
    const requestHeaders: HeaderEdits = {};
    const responseHeaders: HeaderEdits = {};
    const mirrors: string[] = [];
    for (const f of filters) {
      const type = str(f.type);
      if (type === 'RequestRedirect') {
        const rr = isRecord(f.requestRedirect) ? f.requestRedirect : {};
        const scheme = str(rr.scheme) ?? probe.scheme;
        const hostname = str(rr.hostname) ?? probe.host;
        let p = probe.path;
        const pm = isRecord(rr.path) ? rr.path : undefined;
        if (pm && str(pm.type) === 'ReplaceFullPath') p = str(pm.replaceFullPath) ?? p;
        else if (pm && str(pm.type) === 'ReplacePrefixMatch') {
          if (prefix === undefined) return { kind: 'respond', status: 500, via: `${where}: ReplacePrefixMatch needs a PathPrefix match (the route is not accepted)`, involved };
          p = replacePrefix(probe.path, prefix, str(pm.replacePrefixMatch) ?? '');
        }
        const portNum = typeof rr.port === 'number' ? rr.port : rr.scheme !== undefined ? (scheme === 'https' ? 443 : 80) : port;
        const location = normalizeLocation(`${scheme}://${hostname}:${portNum}${uri(p, probe.query)}`);
        const status = typeof rr.statusCode === 'number' ? rr.statusCode : 302;
        return { kind: 'redirect', status, location, via: `RequestRedirect in ${where}`, involved };
      }
      if (type === 'URLRewrite') {
        const ur = isRecord(f.urlRewrite) ? f.urlRewrite : {};
        if (str(ur.hostname)) host = str(ur.hostname)!;
        const pm = isRecord(ur.path) ? ur.path : undefined;
        if (pm && str(pm.type) === 'ReplaceFullPath') path = str(pm.replaceFullPath) ?? path;
        else if (pm && str(pm.type) === 'ReplacePrefixMatch') {
          if (prefix === undefined) return { kind: 'respond', status: 500, via: `${where}: ReplacePrefixMatch needs a PathPrefix match (the route is not accepted)`, involved };
          path = replacePrefix(probe.path, prefix, str(pm.replacePrefixMatch) ?? '');
        }
      } else if (type === 'RequestHeaderModifier' || type === 'ResponseHeaderModifier') {
        const mod = isRecord(f.requestHeaderModifier) ? f.requestHeaderModifier : isRecord(f.responseHeaderModifier) ? f.responseHeaderModifier : {};
        const edits = type === 'RequestHeaderModifier' ? requestHeaders : responseHeaders;
        const incoming = type === 'RequestHeaderModifier' ? probe.headers : {};
        for (const h of recs(mod.set)) edits[String(h.name).toLowerCase()] = String(h.value ?? '');
        for (const h of recs(mod.add)) {
          const n = String(h.name).toLowerCase();
          const prev = edits[n] ?? incoming[n];
          edits[n] = prev === undefined || prev === null ? String(h.value ?? '') : `${prev},${String(h.value ?? '')}`;
        }
        for (const n of Array.isArray(mod.remove) ? mod.remove : []) edits[String(n).toLowerCase()] = null;
      } else if (type === 'RequestMirror') {
        const rm = isRecord(f.requestMirror) && isRecord(f.requestMirror.backendRef) ? f.requestMirror.backendRef : {};
        mirrors.push(`${str(rm.namespace) ?? route.namespace}/${str(rm.name) ?? ''}:${typeof rm.port === 'number' ? rm.port : ''}`);
      } else if (type === 'CORS') {
        // Adds response headers for cross-origin requests; probes carry no Origin header.
      } else {
        return { kind: 'unknown', via: `${where} has a ${type ?? 'typeless'} filter, whose effect is implementation-specific`, involved };
      }
    }
    if (recs(c.rule.backendRefs).some((b) => recs(b.filters).length > 0)) {
      return { kind: 'unknown', via: `${where} has per-backend filters, which the model does not apply`, involved };
    }
    const { backends, problems } = this.backends(route, c.rule);
    if (backends.length === 0) {
      return { kind: 'respond', status: 500, via: `${where} has no usable backend${problems.length ? ` (${problems.join('; ')})` : ''}`, involved };
    }
    return {
      kind: 'forward',
      backends,
      path: uri(path, probe.query),
      host,
      requestHeaders,
      responseHeaders,
      mirrors: mirrors.sort(),
      via: `${where}${problems.length ? `; part of the traffic gets 500: ${problems.join('; ')}` : ''}`,
      involved,
    };
  }

  /** Weighted, valid backendRefs of a rule; an invalid one keeps its share as a 500. */
  private backends(route: Route, rule: Record<string, unknown>): { backends: WeightedBackend[]; problems: string[] } {
    const out: WeightedBackend[] = [];
    const problems: string[] = [];
    for (const b of recs(rule.backendRefs)) {
      const weight = typeof b.weight === 'number' ? b.weight : 1;
      const group = str(b.group) ?? '';
      const kind = str(b.kind) ?? 'Service';
      const ns = str(b.namespace) ?? route.namespace;
      const name = str(b.name) ?? '';
      if (weight <= 0) continue;
      if (!((group === '' || group === 'core') && kind === 'Service')) {
        problems.push(`backendRef ${kind} ${name} is not a Service`);
        out.push({ service: `!invalid:${kind}/${ns}/${name}`, port: 0, weight });
        continue;
      }
      if (typeof b.port !== 'number') {
        problems.push(`backendRef ${ns}/${name} has no port`);
        out.push({ service: `!invalid:${ns}/${name}`, port: 0, weight });
        continue;
      }
      if (ns !== route.namespace && !this.objects.granted({ group: GROUP, kind: route.kind, namespace: route.namespace }, { group: '', kind: 'Service', namespace: ns, name })) {
        problems.push(`no ReferenceGrant lets ${route.kind} ${route.namespace}/${route.name} use Service ${ns}/${name}`);
        out.push({ service: `!invalid:${ns}/${name}`, port: b.port, weight });
        continue;
      }
      out.push({ service: `${ns}/${name}`, port: b.port, weight });
    }
    const normalized = normalizeWeights(out);
    return { backends: normalized.some((b) => !b.service.startsWith('!')) ? normalized : [], problems };
  }

  /** A request sent to Service `service` (`ns/name`) on `port` inside the mesh (GAMMA). */
  evaluateMesh(service: string, port: number, probe: Probe): Outcome {
    const routes = (this.objects.meshRoutes.get(service) ?? []).filter((r) => r.port === undefined || r.port === port);
    const svcRef = { kind: 'Service', namespace: service.split('/')[0]!, name: service.split('/')[1]! };
    if (probe.scheme === 'tcp') {
      const tcp = routes.filter((r) => r.route.kind === 'TCPRoute').sort((a, b) => routeOrder(a.route, b.route))[0];
      if (!tcp) return { kind: 'passthrough', backends: [{ service, port, weight: 1 }], via: `no TCPRoute is attached to Service ${service}: the connection reaches it directly`, involved: [{ object: svcRef, role: 'service' }] };
      const { backends } = this.backends(tcp.route, tcp.route.rules[0] ?? {});
      if (backends.length === 0) return { kind: 'respond', status: 0, via: `TCPRoute ${tcp.route.namespace}/${tcp.route.name} has no usable backend (the connection is closed)`, involved: routeInvolvement(tcp.route, 0) };
      return { kind: 'passthrough', backends, via: `TCP by TCPRoute ${tcp.route.namespace}/${tcp.route.name}`, involved: routeInvolvement(tcp.route, 0) };
    }
    if (routes.length === 0) {
      return { kind: 'forward', backends: [{ service, port, weight: 1 }], path: uri(probe.path, probe.query), host: probe.host, requestHeaders: {}, responseHeaders: {}, mirrors: [], via: `no route is attached to Service ${service}: the request reaches it directly`, involved: [{ object: svcRef, role: 'service' }] };
    }
    const pseudo: Listener = { owner: svcRef, gateway: service, name: `service ${service}`, port, protocol: 'HTTP', allowedRoutes: {}, certificates: [] };
    const candidates: Candidate[] = [];
    for (const { route } of routes) {
      if (route.kind === 'TLSRoute' || route.kind === 'TCPRoute') continue;
      const tie = `${route.creationTimestamp || '~'}\u0000${route.namespace}/${route.name}`;
      route.rules.forEach((rule, ri) => {
        const matches = recs(rule.matches);
        (matches.length ? matches : [undefined]).forEach((m, mi) => {
          const key = route.kind === 'HTTPRoute' ? this.httpMatchKey(m) : grpcMatchKey(m);
          candidates.push({ attachment: { route, listener: pseudo, hostnames: [] }, ruleIndex: ri, rule, match: m, key, tie: `${tie}\u0000${String(ri).padStart(4, '0')}\u0000${String(mi).padStart(4, '0')}` });
        });
      });
    }
    candidates.sort(compareKeys);
    for (const c of candidates) {
      const m = c.attachment.route.kind === 'HTTPRoute' ? httpMatches(c.match, probe) : grpcMatches(c.match, probe);
      if (m === 'unknown') return { kind: 'unknown', via: 'a match the model cannot evaluate', involved: routeInvolvement(c.attachment.route, c.ruleIndex) };
      if (m) return this.applyRule(c, probe, port, pseudo);
    }
    return { kind: 'respond', status: 404, via: `routes are attached to Service ${service} but none matches`, involved: [{ object: svcRef, role: 'service' }] };
  }
}

function routeOrder(a: Route, b: Route): number {
  if (a.creationTimestamp !== b.creationTimestamp) return (a.creationTimestamp || '~') < (b.creationTimestamp || '~') ? -1 : 1;
  const x = `${a.namespace}/${a.name}`;
  const y = `${b.namespace}/${b.name}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

function grpcMatchKey(m: Record<string, unknown> | undefined): number[] {
  const method = isRecord(m?.method) ? m!.method : {};
  return [str(method.service)?.length ?? 0, str(method.method)?.length ?? 0, recs(m?.headers).length];
}

function headerOk(h: Record<string, unknown>, value: string | undefined): boolean | 'unknown' {
  if (value === undefined) return false;
  const type = str(h.type) ?? 'Exact';
  const want = str(h.value) ?? '';
  if (type === 'Exact') return value === want;
  if (type === 'RegularExpression') {
    const re = re2FullMatch(want);
    return re ? re.test(value) : 'unknown';
  }
  return 'unknown';
}

function headersOk(list: Record<string, unknown>[], probe: Probe): boolean | 'unknown' {
  let unknown = false;
  for (const h of list) {
    const ok = headerOk(h, probe.headers[String(h.name ?? '').toLowerCase()]);
    if (ok === false) return false;
    if (ok === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
}

export function httpMatches(m: Record<string, unknown> | undefined, probe: Probe): boolean | 'unknown' {
  if (m === undefined) return true;
  let unknown = false;
  if (isRecord(m.path)) {
    const type = str(m.path.type) ?? 'PathPrefix';
    const value = str(m.path.value) ?? '/';
    if (type === 'Exact') {
      if (probe.path !== value) return false;
    } else if (type === 'PathPrefix') {
      if (!pathPrefixMatches(value, probe.path)) return false;
    } else if (type === 'RegularExpression') {
      const re = re2FullMatch(value);
      if (!re) unknown = true;
      else if (!re.test(probe.path)) return false;
    } else return false;
  }
  if (m.method !== undefined && m.method !== probe.method) return false;
  const h = headersOk(recs(m.headers), probe);
  if (h === false) return false;
  if (h === 'unknown') unknown = true;
  const q = queryParams(probe.query);
  for (const qp of recs(m.queryParams)) {
    const ok = headerOk(qp, q.get(String(qp.name ?? '')));
    if (ok === false) return false;
    if (ok === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
}

/** gRPC calls are `POST /package.Service/Method`. */
export function grpcMatches(m: Record<string, unknown> | undefined, probe: Probe): boolean | 'unknown' {
  const parts = /^\/([^/]+)\/([^/]+)$/.exec(probe.path);
  if (m === undefined) return true;
  let unknown = false;
  if (isRecord(m.method)) {
    if (!parts) return false;
    const type = str(m.method.type) ?? 'Exact';
    const service = str(m.method.service);
    const method = str(m.method.method);
    if (type === 'Exact') {
      if (service !== undefined && parts[1] !== service) return false;
      if (method !== undefined && parts[2] !== method) return false;
    } else if (type === 'RegularExpression') {
      for (const [want, got] of [
        [service, parts[1]],
        [method, parts[2]],
      ] as const) {
        if (want === undefined) continue;
        const re = re2FullMatch(want);
        if (!re) unknown = true;
        else if (!re.test(got!)) return false;
      }
    } else return false;
  }
  const h = headersOk(recs(m.headers), probe);
  if (h === false) return false;
  if (h === 'unknown') unknown = true;
  return unknown ? 'unknown' : true;
}
