/**
 * Where ingress-nginx merges each canary (controller-v1.15.1), so that the translation merges
 * the canaries nginx applied and only those:
 * - the servers and their locations in the order the merge walks them (nginx-locations.ts);
 * - mergeAlternativeBackends: for a canary's defaultBackend, every location of the catch-all
 *   server; for a canary path, the location with the same path and type. The walk stops at a
 *   location whose primary IS the canary's upstream; a primary that is the default backend, has
 *   no server, or is the canary's upstream takes nothing; a canary upstream that merged nowhere
 *   (and did not stop the walk) is deleted, from every location it had merged into before;
 * - balancer.lua route_to_alternative_balancer only ever uses a primary's first alternative.
 */
import type { IngressModel, IngressPath } from '../common/ingress-model.js';
import { nginxServers, normalPath, normalType, upstreamKey, type NginxLocation } from './nginx-locations.js';

export { upstreamKey };

export type CanaryMerge =
  /** No server for the host: nginx skipped the path. */
  | { kind: 'no-server' }
  /** No location with the same path and type: the canary upstream was deleted. */
  | { kind: 'no-location' }
  /** The walk stopped at a location whose primary is the canary's own upstream. */
  | { kind: 'stopped'; at: NginxLocation }
  /** The upstream was already deleted by an earlier path with no location. */
  | { kind: 'removed' }
  /** Merged into this location's primary upstream. */
  | { kind: 'merged'; into: NginxLocation; first: boolean };

export interface CanaryMerges {
  /** What happened to each canary path. */
  paths: Map<IngressPath, CanaryMerge>;
  /** Canary upstream keys deleted by the end (a dangling alternative is no canary at all). */
  deleted: Set<string>;
  /** Per primary upstream key, its first alternative: canary Ingress and upstream key. */
  firstAlternative: Map<string, { model: IngressModel; upstream: string; defaultBackend: boolean }>;
  /** Whether the upstream key has no server (created by a canary). */
  noServer(upstream: string): boolean;
}

/**
 * Simulates the merge for the Ingresses of one controller (one ingress class), given in
 * controller order (oldest first).
 */
export function simulateCanaryMerges(ordered: readonly IngressModel[], isCanary: (m: IngressModel) => boolean): CanaryMerges {
  const { servers, noServer } = nginxServers(ordered, isCanary);

  // mergeAlternativeBackends, canary by canary.
  const out: CanaryMerges = { paths: new Map(), deleted: new Set(), firstAlternative: new Map(), noServer };
  const alternatives = new Map<string, string[]>();
  const append = (primary: string, alt: string, m: IngressModel, defaultBackend: boolean) => {
    let list = alternatives.get(primary);
    if (!list) alternatives.set(primary, (list = []));
    list.push(alt);
    if (!out.firstAlternative.has(primary)) out.firstAlternative.set(primary, { model: m, upstream: alt, defaultBackend });
  };
  const canMerge = (l: NginxLocation, alt: string) => l.upstream !== undefined && l.upstream !== alt && !noServer(l.upstream);
  for (const m of ordered) {
    if (!isCanary(m)) continue;
    const db = upstreamKey(m, m.defaultBackend);
    if (db && !out.deleted.has(db)) {
      let merged = false;
      let same = false;
      for (const l of servers.get('')!) {
        if (l.upstream === db) {
          same = true;
          break;
        }
        if (canMerge(l, db)) {
          append(l.upstream!, db, m, true);
          merged = true;
        }
      }
      if (!same && !merged) out.deleted.add(db);
    }
    for (const r of m.rules) {
      for (const p of r.paths) {
        const alt = upstreamKey(m, p.backend);
        if (!alt) continue;
        if (out.deleted.has(alt)) {
          out.paths.set(p, { kind: 'removed' });
          continue;
        }
        const locs = servers.get(r.host);
        if (!locs) {
          out.paths.set(p, { kind: 'no-server' });
          continue;
        }
        let result: CanaryMerge = { kind: 'no-location' };
        for (const l of locs) {
          if (l.upstream === alt) {
            if (result.kind !== 'merged') result = { kind: 'stopped', at: l };
            break;
          }
          if (canMerge(l, alt) && l.path === normalPath(p) && l.type === normalType(p)) {
            const first = !out.firstAlternative.has(l.upstream!);
            append(l.upstream!, alt, m, false);
            result = { kind: 'merged', into: l, first };
          }
        }
        out.paths.set(p, result);
        if (result.kind === 'no-location') out.deleted.add(alt);
      }
    }
  }
  return out;
}
