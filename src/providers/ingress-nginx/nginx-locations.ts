/**
 * The nginx servers and locations ingress-nginx (controller-v1.15.1) builds from the Ingresses
 * of one controller, before location.go normalises them, in the order the controller walks them:
 * - createUpstreams: upstreams are keyed by namespace, Service and port as written; a
 *   defaultBackend always (re)creates its upstream, a path only when it does not exist yet; an
 *   upstream created by a canary has no server (NoServer);
 * - createServers: the catch-all server `_` (root: the first rules-less defaultBackend, else the
 *   default backend) and a server per host of a non-canary Ingress (root: the first such
 *   Ingress's defaultBackend, else the default backend); a Prefix `/` path replaces a root
 *   (IsDefBackend), except the catch-all's rules-less defaultBackend;
 * - getBackendServers: the paths of the Ingresses in controller order. A path whose upstream has
 *   no server gets no location. The first location with the same path decides: the same type
 *   keeps the first (a Prefix `/` replaces a default root), a different type adds the path
 *   (controller.go L815-835, "Same paths but different types are allowed"), even when a
 *   location with the same path and type comes later.
 */
import type { IngressBackend, IngressModel, IngressPath } from '../common/ingress-model.js';

export interface NginxLocation {
  /** Upstream key (namespace/Service:port as written); undefined for the default backend. */
  upstream?: string;
  /** The path as the Ingress wrote it ('' being '/'). */
  path: string;
  /** ImplementationSpecific is Prefix (internal/k8s/main.go SetDefaultNGINXPathType). */
  type: 'Exact' | 'Prefix';
  /** The Ingress whose path (or defaultBackend, for a root) this location serves. */
  model?: IngressModel;
  /** The Ingress path, for a location of a path. */
  ingressPath?: IngressPath;
  /** A root location that a Prefix `/` path replaces (IsDefBackend). */
  isDefBackend?: boolean;
}

export interface NginxServers {
  /** Host ('' for the catch-all server) -> locations, root first. */
  servers: Map<string, NginxLocation[]>;
  /** Whether the upstream key has no server (created by a canary). */
  noServer(upstream: string): boolean;
}

export function upstreamKey(m: IngressModel, b: IngressBackend | undefined): string | undefined {
  return b?.kind === 'service' ? `${m.namespace}/${b.name}:${b.port.number ?? b.port.name}` : undefined;
}

export const normalType = (p: IngressPath): 'Exact' | 'Prefix' => (p.pathType === 'Exact' ? 'Exact' : 'Prefix');
export const normalPath = (p: IngressPath): string => (p.path === '' ? '/' : p.path);

/**
 * The Ingress whose settings each upstream (namespace/Service:port as written) has, from
 * controller.go createUpstreams over the Ingresses in controller order: a defaultBackend
 * always (re)creates its upstream, a path creates it only if it does not exist yet.
 */
export function upstreamCreators(ordered: readonly IngressModel[]): Map<string, IngressModel> {
  const creator = new Map<string, IngressModel>();
  for (const m of ordered) {
    const db = upstreamKey(m, m.defaultBackend);
    if (db) creator.set(db, m);
    for (const p of m.rules.flatMap((r) => r.paths)) {
      const k = upstreamKey(m, p.backend);
      if (k && !creator.has(k)) creator.set(k, m);
    }
  }
  return creator;
}

/** The servers of the Ingresses of one controller, given in controller order (oldest first). */
export function nginxServers(ordered: readonly IngressModel[], isCanary: (m: IngressModel) => boolean): NginxServers {
  const creator = upstreamCreators(ordered);
  const noServer = (k: string) => {
    const c = creator.get(k);
    return c !== undefined && isCanary(c);
  };

  const servers = new Map<string, NginxLocation[]>();
  servers.set('', [{ path: '/', type: 'Prefix', isDefBackend: true }]);
  for (const m of ordered) {
    if (isCanary(m)) continue;
    const db = upstreamKey(m, m.defaultBackend);
    const root = servers.get('')![0]!;
    if (db && m.rules.length === 0 && root.isDefBackend) Object.assign(root, { upstream: db, model: m, isDefBackend: false });
    for (const r of m.rules) {
      if (r.host === '' || servers.has(r.host)) continue;
      servers.set(r.host, [{ path: '/', type: 'Prefix', ...(db ? { upstream: db } : {}), model: m, isDefBackend: true }]);
    }
  }
  for (const m of ordered) {
    for (const r of m.rules) {
      const locs = servers.get(r.host) ?? servers.get('')!;
      for (const p of r.paths) {
        const k = upstreamKey(m, p.backend);
        if (!k || noServer(k)) continue;
        const path = normalPath(p);
        const type = normalType(p);
        const first = locs.find((l) => l.path === path);
        if (first && first.type === type) {
          if (first.isDefBackend) Object.assign(first, { upstream: k, model: m, ingressPath: p, isDefBackend: false });
          continue;
        }
        locs.push({ upstream: k, path, type, model: m, ingressPath: p });
      }
    }
  }
  return { servers, noServer };
}
