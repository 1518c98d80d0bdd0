/**
 * A VirtualService -> its routes: one set per parent (each Istio Gateway it binds to, and the
 * mesh), since match.gateways and match.port keep some matches to some parents. Gateway routes
 * live in the VirtualService's namespace and attach to the listeners whose server hosts admit it;
 * mesh routes attach to the Services of its hosts (GAMMA) and live in the Service's namespace,
 * where a route applies to every client as the VirtualService did (a producer route), unless the
 * VirtualService was exported to its own namespace only (a consumer route there).
 */
import type { FieldPath, SourceDocument } from '../../inputs/document.js';
import type { Provenance, RouteIntent, RouteMatch, RouteParent, RuleIntent } from '../../ir/types.js';
import { WILDCARD_HOST } from '../../ir/k8s-names.js';
import type { ResourceContext } from '../types.js';
import { gatewayName, listenerAdmits, type IstioGateway, type IstioListener } from './gateway.js';
import { fqdn, hostsMatch, isIp, resolveHost, type HostEnv } from './hosts.js';
import { blockCovers, materialize, prefixDependent, readHttpRoute, type HttpEnv, type IstioHttpRoute } from './http.js';
import { readL4Route, type IstioL4Route } from './l4.js';
import { describeMatch, orderRoutes, sameRouteConflicts } from './order.js';
import type { ObjReader } from './read.js';
import { fieldRuleId } from './rules.js';
import { fieldText } from '../common/translate.js';

export const MESH = 'mesh';

export interface VsEnv extends Omit<HttpEnv, 'gatewayRef'> {
  ctx: ResourceContext;
  hosts: HostEnv;
  gateways: ReadonlyMap<string, IstioGateway>;
  /** Which VirtualService first bound each (gateway, host), to report merged ones. */
  boundHosts: Map<string, ObjReader>;
  /**
   * The VirtualService whose mesh routes a Service (`ns/name`) follows: the first in Istio's order
   * (creation time, then name, then namespace) that binds `mesh` to a host naming it. A sidecar
   * builds one virtual host per Service; a later VirtualService for the same host is a duplicate
   * domain and is ignored (pilot networking/core/httproute.go buildVirtualHost).
   */
  meshOwners: ReadonlyMap<string, SourceDocument>;
  /** Every (gateway, host) a VirtualService binds, to report the hosts a wildcard's rules reach. */
  hostBindings: { gateway: string; host: string; r: ObjReader }[];
}

/** `name` (the VirtualService's namespace), `namespace/name`, or Istio's old `name.namespace...` form. */
export function gatewayRefOf(name: string, namespace: string): { namespace: string; name: string } | typeof MESH {
  if (name === MESH) return MESH;
  const slash = name.indexOf('/');
  if (slash >= 0) return { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
  const dot = name.indexOf('.');
  if (dot >= 0) return { name: name.slice(0, dot), namespace: name.split('.')[1] ?? namespace };
  return { namespace, name };
}

interface Unit<T> {
  parents: RouteParent[];
  routes: T[];
  /** Matches of each route kept for these parents, by route index. */
  matches: Map<number, RouteMatch[]>;
  /** Matches after a catch-all, which Istio never built a route for: left out (field paths, and the catch-all's route). */
  cut?: { at: FieldPath; route: number; by: number }[];
  /** The listener port and protocol of a Gateway unit (one port per unit). */
  listener?: { port: number; protocol: string };
}

/** A gateway binding: the listeners of an Istio Gateway of the input, or a Gateway outside it. */
type Binding = { key: string; gateway?: IstioGateway; namespace: string; name: string };

export function translateVirtualService(r: ObjReader, env: VsEnv): RouteIntent[] {
  const ctx = env.ctx;
  const vsNs = r.namespace;
  const hosts = r.strings(['spec', 'hosts']).map((h) => h.toLowerCase());
  const hasGateways = r.has(['spec', 'gateways']);
  const gatewayNames = r.strings(['spec', 'gateways']);
  const exportTo = r.strings(['spec', 'exportTo']);
  const exported = (ns: string) => exportTo.length === 0 || exportTo.includes('*') || exportTo.includes(ns) || (exportTo.includes('.') && ns === vsNs);
  // Gateways outside exportTo get no route (as in Istio); for the mesh, only a VirtualService
  // exported to its own namespace for Services elsewhere has an equivalent (consumer routes).
  let exportReproduced = exportTo.length === 0 || exportTo.includes('*');
  const gatewayRef = (name: string): string => {
    const g = gatewayRefOf(name, vsNs);
    return g === MESH ? MESH : `istio:${g.namespace}/${g.name}`;
  };
  const httpEnv: HttpEnv = { ...env, gatewayRef };
  if (hosts.length === 0) {
    r.note(['spec'], 'istio/virtual-service-without-hosts', 'warning', `VirtualService ${vsNs}/${r.name} has no hosts: it is a delegate of another VirtualService (or refused by Istio); it was not translated on its own`, 'Translate the routes of the root VirtualService that delegates to it, by hand.');
    for (const k of Object.keys(r.map(['spec']) ?? {})) r.consume(['spec', k]);
    return [];
  }
  const https = r.list(['spec', 'http']).map((_, i) => readHttpRoute(r, httpEnv, i)).filter((x): x is IstioHttpRoute => x !== undefined && !x.empty);
  markShadowed(r, https);
  const tlss = r.list(['spec', 'tls']).map((_, i) => readL4Route(r, httpEnv, 'tls', i)).filter((x): x is IstioL4Route => x !== undefined && !x.empty);
  const tcps = r.list(['spec', 'tcp']).map((_, i) => readL4Route(r, httpEnv, 'tcp', i)).filter((x): x is IstioL4Route => x !== undefined && !x.empty);
  const fqdnHosts = hosts.map((h) => fqdn(h, vsNs));

  // Gateway bindings.
  const names = hasGateways && gatewayNames.length > 0 ? gatewayNames : [MESH];
  const bindings: Binding[] = [];
  let mesh = false;
  names.forEach((g, i) => {
    const ref = gatewayRefOf(g, vsNs);
    if (ref === MESH) {
      mesh = true;
      return;
    }
    const key = `istio:${ref.namespace}/${ref.name}`;
    if (!exported(ref.namespace)) {
      r.note(['spec', 'gateways', i], fieldRuleId('VirtualService.exportTo'), 'info', `Gateway ${ref.namespace}/${ref.name} is in a namespace the VirtualService is not exported to (exportTo ${exportTo.join(', ')}), so Istio did not apply it there; no route was made for it`);
      return;
    }
    if (bindings.some((b) => b.key === key)) return;
    bindings.push({ key, gateway: env.gateways.get(key), namespace: ref.namespace, name: ref.name });
  });

  const out: RouteIntent[] = [];
  const prov: Provenance = r.provenance();

  // Gateway routes.
  const gatewayHostnames = (): string[] => {
    const list: string[] = [];
    let all = false;
    hosts.forEach((h, i) => {
      const f = fqdnHosts[i]!;
      if (h === '*') all = true;
      else if (isIp(h) || !WILDCARD_HOST.test(f)) r.note(['spec', 'hosts', i], fieldRuleId('VirtualService.hosts'), 'warning', `host "${h}" cannot be an HTTPRoute hostname (${isIp(h) ? 'an IP address' : 'not a DNS name'}); the Gateway routes leave it out`);
      else if (!list.includes(f)) list.push(f);
    });
    return all ? [] : list;
  };
  const listenersFor = (b: Binding, family: IstioListener['family']): IstioListener[] =>
    b.gateway ? b.gateway.listeners.filter((l) => l.family === family && !l.redirectOnly && listenerAdmits(l, vsNs, fqdnHosts)) : [];

  const gatewayUnits = <T extends { matches: { port?: number; gateways?: string[] }[] }>(routes: T[], family: IstioListener['family']): Unit<T>[] => {
    const units: Unit<T>[] = [];
    for (const b of bindings) {
      if (!b.gateway) {
        units.push(...splitByPort(routes, b.key, undefined, [{ kind: 'GatewayRef', namespace: b.namespace, name: gatewayName(b.name) }]));
        continue;
      }
      const ls = listenersFor(b, family);
      if (ls.length === 0) continue;
      const ports = [...new Set(ls.map((l) => l.intent.port))];
      for (const p of ports) {
        const onPort = ls.filter((l) => l.intent.port === p);
        const protocols = [...new Set(onPort.map((l) => l.intent.protocol))];
        for (const unit of splitByPort(routes, b.key, p, [{ kind: 'Gateway', gatewayKey: b.key, listeners: onPort.map((l) => l.intent.name) }])) {
          units.push(protocols.length === 1 ? { ...unit, listener: { port: p, protocol: protocols[0]! } } : unit);
        }
      }
    }
    return mergeUnits(units);
  };

  // Report bindings with nothing to attach to.
  for (const b of bindings) {
    if (!b.gateway) {
      r.note(['spec', 'gateways'], 'istio/gateway-not-in-input', 'info', `Gateway ${b.namespace}/${b.name} is not in the input; the routes name a Gateway API Gateway ${b.namespace}/${b.name} (convert the Istio Gateway too) without a listener section`);
      continue;
    }
    const families = [https.length && 'http', tlss.length && 'tls', tcps.length && 'tcp'].filter(Boolean) as IstioListener['family'][];
    for (const fam of families) {
      if (listenersFor(b, fam).length === 0) {
        r.note(['spec', 'gateways'], 'istio/no-matching-server', 'warning', `no ${fam === 'http' ? 'HTTP or HTTPS' : fam === 'tls' ? 'TLS passthrough' : 'TCP'} server of Gateway ${b.namespace}/${b.name} admits this VirtualService (its hosts ${hosts.join(', ')} from namespace ${vsNs}), so Istio did not apply its ${fam} routes there, and no route was made`);
      }
    }
    // Two VirtualServices for one virtual host on one gateway: Istio merged them in creation
    // order. The virtual host is the more specific of the VirtualService host and the server
    // host (gateway.go: host.Names.Intersection), so `*.example.com` on a server for
    // a.example.com shares a.example.com's virtual host.
    const httpListeners = listenersFor(b, 'http');
    const domains = new Map<string, Set<number | undefined>>();
    const add = (d: string, port: number | undefined) => {
      let ports = domains.get(d);
      if (!ports) domains.set(d, (ports = new Set()));
      ports.add(port);
    };
    for (const h of fqdnHosts) {
      if (httpListeners.length === 0) add(h, undefined);
      for (const l of httpListeners) {
        const lh = l.intent.hostname;
        if (!lh) add(h, l.intent.port);
        else if (h === lh || h === '*' || (h.startsWith('*.') && lh.endsWith(h.slice(1)))) add(lh, l.intent.port);
        else if (lh.startsWith('*.') && h.endsWith(lh.slice(1))) add(h, l.intent.port);
      }
    }
    for (const [h, ports] of domains) {
      const k = `${b.key} ${h}`;
      const first = env.boundHosts.get(k);
      for (const port of ports) env.hostBindings.push({ gateway: port === undefined ? b.key : `${b.key}:${port}`, host: h, r });
      if (!first) env.boundHosts.set(k, r);
      else if (first !== r) {
        r.note(['spec', 'hosts'], 'istio/merged-virtual-services', 'warning', `VirtualServices ${first.namespace}/${first.name} and ${vsNs}/${r.name} both bind host ${h} to Gateway ${b.namespace}/${b.name}: Istio merged their http routes in creation order (the older first); Gateway API ranks the rules of the two HTTPRoutes by specificity instead`, 'Check the requests both match, or merge the two VirtualServices before converting.');
      }
    }
  }

  const hostnames = bindings.length ? gatewayHostnames() : [];
  for (const u of gatewayUnits(https, 'http')) out.push(httpRoute(r, u, vsNs, r.name, hostnames, prov));
  for (const u of gatewayUnits(tlss, 'tls')) out.push(...l4Routes(r, u, vsNs, r.name, prov));
  for (const u of gatewayUnits(tcps, 'tcp')) out.push(...l4Routes(r, u, vsNs, r.name, prov));

  // Mesh routes.
  if (mesh) {
    const services: { namespace: string; name: string }[] = [];
    hosts.forEach((h, i) => {
      const t = resolveHost(h, vsNs, env.hosts);
      if (t.kind === 'service') {
        const owner = env.meshOwners.get(`${t.namespace}/${t.name}`);
        if (owner && owner !== r.doc) {
          r.note(['spec', 'hosts', i], 'istio/shadowed-mesh-host', 'warning', `VirtualService ${owner.object.metadata.namespace ?? 'default'}/${owner.object.metadata.name ?? ''} binds Service ${t.namespace}/${t.name} to the mesh first (older, or first by name); Istio's sidecars followed only that one for this Service and ignored this VirtualService's routes for it, so no mesh route was generated for it here`, 'Merge the routes into the VirtualService that takes effect, or delete this one.');
          return;
        }
        if (t.form === 'partial') r.note(['spec', 'hosts', i], 'istio/partial-service-host', 'warning', `host ${h} was read as Service ${t.namespace}/${t.name} for the mesh route; Istio takes a name with a dot as fully qualified and found no Service under it (only ${t.name}.${t.namespace}.svc.cluster.local), so its mesh routes did not apply to that Service`);
        if (!services.some((s) => s.namespace === t.namespace && s.name === t.name)) services.push({ namespace: t.namespace, name: t.name });
        return;
      }
      const why =
        t.kind === 'service-entry'
          ? `a host of ServiceEntry ${t.entry.object.metadata.namespace ?? 'default'}/${t.entry.object.metadata.name ?? ''}`
          : t.kind === 'wildcard'
            ? 'a wildcard'
            : t.kind === 'ip'
              ? 'an IP address'
              : 'not a Kubernetes Service name';
      r.note(
        ['spec', 'hosts', i],
        'istio/mesh-host-not-service',
        'warning',
        `host ${h} is ${why}; a mesh (GAMMA) route attaches to a Service, so the mesh routes for it were not generated`,
        t.kind === 'service-entry' ? 'Istio accepts a ServiceEntry as parentRef (group networking.istio.io, kind ServiceEntry) as an implementation-specific extension.' : 'Route the traffic of a Service instead.',
      );
    });
    const consumerOnly = exportTo.length > 0 && exportTo.every((x) => x === '.' || x === vsNs);
    const byNs = new Map<string, { namespace: string; name: string }[]>();
    for (const s of services) {
      const routeNs = consumerOnly ? vsNs : s.namespace;
      let l = byNs.get(routeNs);
      if (!l) byNs.set(routeNs, (l = []));
      l.push(s);
    }
    exportReproduced ||= consumerOnly && services.every((s) => s.namespace !== vsNs);
    const meshName = bindings.length ? `${r.name}-mesh` : r.name;
    for (const [routeNs, svcs] of [...byNs.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (routeNs !== vsNs) {
        r.note(['spec', 'hosts'], 'istio/mesh-route-namespace', 'info', `the mesh route for ${svcs.map((s) => `Service ${s.namespace}/${s.name}`).join(', ')} is in namespace ${routeNs}, the Services' own: there it is a producer route that applies to every client, as the VirtualService did; in namespace ${vsNs} it would be a consumer route for the clients of ${vsNs} only (GAMMA)`);
      }
      const parents = (port?: number): RouteParent[] => svcs.map((s) => (port === undefined ? { kind: 'Service', namespace: s.namespace, name: s.name } : { kind: 'Service', namespace: s.namespace, name: s.name, port }));
      for (const [routes, kind] of [
        [https, 'http'],
        [tlss, 'tls'],
        [tcps, 'tcp'],
      ] as const) {
        // Ports of the Services, when all are in the input: a match port per Service port covers them all.
        const known = svcs.map((x) => env.servicePorts(x.namespace, x.name));
        const svcPorts = known.every((k) => k !== undefined) ? new Set(known.flat() as number[]) : undefined;
        const units = meshUnits(routes as (IstioHttpRoute | IstioL4Route)[], parents, svcPorts);
        for (const u of units) {
          if (kind === 'http') out.push(httpRoute(r, u as Unit<IstioHttpRoute>, routeNs, meshName, [], prov));
          else out.push(...l4Routes(r, u as Unit<IstioL4Route>, routeNs, meshName, prov));
        }
      }
    }
  }
  if (!mesh) exportReproduced = true;
  if (exportTo.length) {
    if (exportReproduced) r.consume(['spec', 'exportTo']);
    else if (!r.use.has(['spec', 'exportTo'])) {
      r.report(['spec', 'exportTo'], fieldRuleId('VirtualService.exportTo'), 'warning', `exportTo ${exportTo.join(', ')} limited which namespaces' proxies used the VirtualService; Gateway API routes have no such scope, so the routes apply to every client of their parents`, 'For mesh routes, use consumer routes (a copy of the route in each client namespace) instead of a route in the Service namespace.');
    }
  }
  return out;

  /** The units for the mesh: one per match port, plus one without port for the other matches. */
  function meshUnits<T extends { matches: { port?: number; gateways?: string[] }[] }>(routes: T[], parents: (port?: number) => RouteParent[], svcPorts: ReadonlySet<number> | undefined): Unit<T>[] {
    const ports = [...new Set(routes.flatMap((x) => x.matches.filter((m) => !m.gateways || m.gateways.includes(MESH)).map((m) => m.port)).filter((p): p is number => p !== undefined))].sort((a, b) => a - b);
    const units: Unit<T>[] = [];
    if (ports.length === 0) return splitByPort(routes, MESH, undefined, parents());
    for (const p of ports) units.push(...splitByPort(routes, MESH, p, parents(p)));
    // The matches without port apply on the Services' other ports too (when they have others).
    if (!svcPorts || [...svcPorts].some((p) => !ports.includes(p))) units.push(...splitByPort(routes, MESH, null, parents()));
    return units;
  }
}

/**
 * The routes kept for one parent (`key`: a gateway key or mesh) and port: `port` a number keeps
 * matches of that port or of none; undefined keeps every match; null keeps the matches of none.
 */
function splitByPort<T extends { matches: { port?: number; gateways?: string[]; catchAll?: boolean; at?: FieldPath; shadowedBy?: FieldPath }[]; index?: number }>(routes: T[], key: string, port: number | undefined | null, parents: RouteParent[]): Unit<T>[] {
  const kept: T[] = [];
  const matches = new Map<number, RouteMatch[]>();
  // BuildHTTPRoutesForVirtualService (pilot route/route.go) stops at the first catch-all route
  // kept for this port and gateway: the matches after it are never routes in Istio.
  let by: number | undefined;
  const cut: { at: FieldPath; route: number; by: number }[] = [];
  routes.forEach((route) => {
    const ms = route.matches.filter((m) => !m.shadowedBy && (!m.gateways || m.gateways.includes(key)) && (port === undefined || m.port === undefined || (port !== null && m.port === port)));
    if (ms.length === 0) return;
    if (by !== undefined) {
      for (const m of ms) if (m.at) cut.push({ at: m.at, route: route.index ?? 0, by });
      return;
    }
    const stop = ms.findIndex((m) => m.catchAll);
    const use = stop < 0 ? ms : ms.slice(0, stop + 1);
    if (stop >= 0) {
      by = route.index ?? 0;
      for (const m of ms.slice(stop + 1)) if (m.at) cut.push({ at: m.at, route: route.index ?? 0, by });
    }
    matches.set(kept.length, use.map((m) => ('gw' in m ? (m as { gw: RouteMatch }).gw : ({} as RouteMatch))));
    kept.push({ ...route, matches: use });
  });
  if (kept.length === 0) return [];
  return [{ parents, routes: kept, matches, ...(cut.length ? { cut } : {}) }];
}

/** Units with the same routes (same filtered matches) become one route with all their parents. */
function mergeUnits<T>(units: Unit<T>[]): Unit<T>[] {
  const out: { sig: string; unit: Unit<T> }[] = [];
  for (const u of units) {
    // A redirect to another host takes its port from the unit's listener: keep those apart.
    const redirects = u.routes.some((x) => (x as unknown as { redirect?: unknown }).redirect !== undefined);
    const sig = JSON.stringify([redirects && u.listener && ![80, 443].includes(u.listener.port) ? u.listener : null, u.routes.map((x, i) => [(x as unknown as { index: number }).index, u.matches.get(i)])]);
    const same = out.find((o) => o.sig === sig);
    if (same) same.unit.parents.push(...u.parents);
    else out.push({ sig, unit: { ...u, parents: [...u.parents] } });
  }
  return out.map((o) => o.unit);
}

/**
 * Marks the match blocks an earlier block takes every request of (in this route or an earlier
 * one): Istio never used them, and Gateway API precedence could rank them first, so they are left
 * out (a rule keeps its other matches; a rule with none left is dropped).
 */
function markShadowed(r: ObjReader, routes: IstioHttpRoute[]): void {
  // Earlier blocks in Istio's order; a route without match blocks is `undefined` (every request).
  const earlier: { at: FieldPath; block: unknown }[] = [];
  const key = (at: FieldPath) => JSON.stringify(at);
  for (const route of routes) {
    for (const m of route.matches) {
      const isBlock = m.at.length > route.at.length;
      const block = isBlock ? r.get(m.at) : undefined;
      if (isBlock && !m.shadowedBy) {
        const by = earlier.find((e) => key(e.at) !== key(m.at) && blockCovers(e.block, block));
        if (by) {
          m.shadowedBy = by.at;
          // One note per block (a method regex makes several matches of one block).
          if (!route.matches.some((x) => x !== m && x.at === m.at && x.shadowedBy)) {
            r.note(m.at, 'istio/unreachable-match', 'info', `an earlier match (${fieldText(by.at)}) takes every request of this one, so Istio never used it; it was left out, as Gateway API precedence could rank it first`);
          }
        }
      }
      if (!earlier.some((e) => key(e.at) === key(m.at))) earlier.push({ at: m.at, block });
    }
  }
}

/** The cut matches already reported per VirtualService (a match is cut in every unit). */
const cutReported = new WeakMap<ObjReader, Set<string>>();

function httpRoute(r: ObjReader, u: Unit<IstioHttpRoute>, routeNs: string, name: string, hostnames: string[], prov: Provenance): RouteIntent {
  const ordered = orderRoutes(u.routes.map((x, i) => ({ matches: u.matches.get(i) ?? [], prefixDependent: prefixDependent(x) })));
  for (const c of ordered.conflicts) {
    const first = u.routes[c.first]!;
    const later = u.routes[c.later]!;
    r.note(
      later.at,
      'istio/rule-order',
      'warning',
      `Istio gave ${c.requests} to http[${first.index}], the first route that matches them; Gateway API ranks http[${later.index}]'s match higher, so those requests now go to http[${later.index}] (${c.why})`,
      `Make the two routes' matches disjoint, or make http[${first.index}]'s match at least as specific as http[${later.index}]'s.`,
    );
  }
  u.routes.forEach((route, i) => {
    if (!prefixDependent(route)) return;
    for (const c of sameRouteConflicts(u.matches.get(i) ?? [])) {
      let seen = cutReported.get(r);
      if (!seen) cutReported.set(r, (seen = new Set()));
      const k = `order ${route.index} ${c.first} ${c.later}`;
      if (seen.has(k)) continue;
      seen.add(k);
      r.note(
        route.at,
        'istio/rule-order',
        'warning',
        `Istio gave ${c.requests} to http[${route.index}], the first route that matches them, by its match ${c.first}; Gateway API ranks its match ${c.later} higher, and the route rewrites the prefix it matched, so those requests are now rewritten for match ${c.later}`,
        `Make the route's matches disjoint, or split the route so that each match keeps its own rewrite.`,
      );
    }
  });
  for (const c of u.cut ?? []) {
    const k = `${JSON.stringify(c.at)}`;
    let seen = cutReported.get(r);
    if (!seen) cutReported.set(r, (seen = new Set()));
    if (seen.has(k)) continue;
    seen.add(k);
    r.note(c.at, 'istio/unreachable-match', 'info', `http[${c.by}] before this match of http[${c.route}] takes every request: Istio builds no route after it (BuildHTTPRoutesForVirtualService stops at the first catch-all), so this match was never used and was left out`);
  }
  for (const un of ordered.unreachable) {
    const route = u.routes[un.route]!;
    const m = route.matches[un.match];
    r.note(m ? (m as { at: FieldPath }).at : route.at, 'istio/unreachable-match', 'info', `this match of http[${route.index}] (${describeMatch(u.matches.get(un.route)![un.match]!)}) was never used by Istio: http[${u.routes[un.by]!.index}] before it takes all its requests; the output keeps that order`);
  }
  const rules: RuleIntent[] = [];
  const ruleRoutes: [RuleIntent, IstioHttpRoute][] = [];
  u.routes.forEach((route, i) => {
    const ms = [...(u.matches.get(i) ?? []), ...(ordered.added.get(i) ?? [])];
    for (const rule of materialize(r, route, ms, routeNs)) {
      rules.push(rule);
      ruleRoutes.push([rule, route]);
    }
  });
  // Envoy's host_redirect replaces the whole authority: a redirect to another host without a
  // port goes to the scheme's port, where Gateway API keeps the listener port (RequestRedirect
  // port: "the Gateway Listener port" when the scheme is empty). Say the port on other ports.
  if (u.listener && ![80, 443].includes(u.listener.port)) {
    for (const [rule, route] of ruleRoutes) {
      if (r.get([...route.at, 'redirect', 'derivePort']) === 'FROM_REQUEST_PORT') continue;
      for (const f of rule.filters) {
        const rr = f.type === 'RequestRedirect' && f.requestRedirect && typeof f.requestRedirect === 'object' ? (f.requestRedirect as Record<string, unknown>) : undefined;
        if (rr && typeof rr.hostname === 'string' && rr.port === undefined && rr.scheme === undefined) rr.port = u.listener.protocol === 'HTTPS' ? 443 : 80;
      }
    }
  }
  if (ordered.added.size) {
    r.note(['spec', 'http'], 'istio/rule-order', 'info', `to keep Istio's first-match order under Gateway API's most-specific-first precedence, ${[...ordered.added.entries()].map(([i, ms]) => `http[${u.routes[i]!.index}] also matches ${ms.map(describeMatch).join('; ')}`).join(', and ')}`);
  }
  return routeIntent('HTTPRoute', u.parents, routeNs, name, hostnames, rules, prov);
}

/** A route on the parents of a unit (Gateway listeners and/or Services): no attach flags of its own. */
function routeIntent(kind: RouteIntent['kind'], parents: RouteParent[], namespace: string, name: string, hostnames: string[], rules: RouteIntent['rules'], prov: Provenance): RouteIntent {
  return { kind, gatewayKey: gatewayKeyOf(parents), namespace, name, hostnames, attach: { http: false, https: false }, parents, rules, annotations: {}, provenance: [prov] };
}

function gatewayKeyOf(parents: readonly RouteParent[]): string {
  for (const p of parents) if (p.kind === 'Gateway') return p.gatewayKey;
  return '';
}

function l4Routes(r: ObjReader, u: Unit<IstioL4Route>, routeNs: string, name: string, prov: Provenance): RouteIntent[] {
  const out: RouteIntent[] = [];
  const taken: string[][] = [];
  u.routes.forEach((route) => {
    if (route.backends.length === 0) return;
    const sni = [...new Set(route.matches.flatMap((m) => m.sniHosts))];
    if (route.kind === 'tcp') {
      // TCPRoutes cannot tell connections apart: the first route of a parent takes them all.
      if (taken.length > 0) {
        r.note(route.at, 'istio/shadowed-tcp-route', 'info', `tcp[${route.index}] takes no connection here: Gateway API has one TCPRoute per listener or Service port, and tcp[${u.routes[0]!.index}] comes first; it was not translated for these parents`);
        return;
      }
      taken.push([]);
    } else {
      for (const [j, prev] of taken.entries()) {
        const overlap = sni.filter((h) => prev.some((p) => hostsMatch(p, h) && p !== h && p.startsWith('*')));
        if (overlap.length) {
          r.note(route.at, 'istio/rule-order', 'warning', `Istio gave SNI ${overlap.join(', ')} to tls[${u.routes[j]!.index}], which comes first; Gateway API sends a connection to the TLSRoute with the most specific hostname, so they now go to tls[${route.index}]`, 'Make the SNI hosts of the two routes disjoint.');
        }
      }
      taken.push(sni);
    }
    const hostnames = route.kind === 'tls' ? sni : [];
    const rules = [{ matches: [], backends: route.backends.map((b) => ({ ...b })), filters: [], provenance: [route.provenance] }];
    out.push(routeIntent(route.kind === 'tls' ? 'TLSRoute' : 'TCPRoute', u.parents, routeNs, name, hostnames, rules, prov));
  });
  return out;
}
