/**
 * Duplicate prefix locations. Outside regex mode ingress-nginx writes a Prefix path `/foo` as
 * `location /foo/` plus `location = /foo`, and `/foo/` as `location /foo/` (plus `= /foo/`)
 * (internal/ingress/controller/location.go updateServerLocations). Two locations that end up
 * with the same prefix make `nginx -t` fail with "duplicate location": Prefix `/foo` and `/foo/`
 * on one host (different paths to the controller), or the same Prefix path twice when a location
 * with that path and another type comes first (getBackendServers then adds it again, see
 * nginx-locations.ts). The admission webhook (on by default in the Helm chart) tests the
 * configuration with the new Ingress and refuses it; without the webhook the controller stops
 * reloading until it is gone. Either way nginx never served the Ingress that brought it.
 */
import type { IngressModel } from '../common/ingress-model.js';
import type { ProviderContext } from '../types.js';
import { nginxServers, upstreamKey, type NginxLocation } from './nginx-locations.js';

/** Two locations that nginx writes as the same prefix location, in a host not in regex mode. */
function duplicate(ordered: readonly IngressModel[], isCanary: (m: IngressModel) => boolean, regexHost: (m: IngressModel, host: string) => boolean): [NginxLocation, NginxLocation] | undefined {
  for (const [host, locs] of nginxServers(ordered, isCanary).servers) {
    const someone = locs.find((l) => l.model)?.model;
    if (someone && regexHost(someone, host)) continue;
    const seen = new Map<string, NginxLocation>();
    for (const l of locs) {
      if (l.type === 'Exact') continue;
      const prefix = l.path.endsWith('/') ? l.path : `${l.path}/`;
      const first = seen.get(prefix);
      if (first) return [first, l];
      seen.set(prefix, l);
    }
  }
  return undefined;
}

function laterInDocument(a: NginxLocation, b: NginxLocation): NginxLocation {
  const x = a.ingressPath?.at ?? [];
  const y = b.ingressPath?.at ?? [];
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    if (x[k] === y[k]) continue;
    return typeof x[k] === 'number' && typeof y[k] === 'number' ? ((x[k] as number) > (y[k] as number) ? a : b) : String(x[k]) > String(y[k]) ? a : b;
  }
  return b;
}

/**
 * Reports every Ingress (of one controller, in controller order, which is creation order) that
 * nginx refused for a duplicate location, and returns them. `regexHost` tells the hosts in regex
 * mode, whose locations are regexes (nginx accepts duplicate regex locations).
 */
export function reportDuplicateLocations(
  ctx: ProviderContext,
  ordered: readonly IngressModel[],
  isCanary: (m: IngressModel) => boolean,
  regexHost: (m: IngressModel, host: string) => boolean,
): Set<IngressModel> {
  const refused = new Set<IngressModel>();
  if (!duplicate(ordered, isCanary, regexHost)) return refused;
  // Ingress by Ingress, each against those nginx accepted before it: per group of Ingresses that
  // can share a location (see independentGroups), so that the work stays linear in the groups.
  for (const group of independentGroups(ordered, isCanary)) refuseInGroup(ctx, group, isCanary, regexHost, refused);
  return refused;
}

/**
 * The Ingresses split into groups that cannot affect each other's nginx locations, each in the
 * given order: Ingresses are joined when they have a host in common (a server), when they name
 * the same upstream (which Ingress created it decides whether its paths get locations), and
 * Ingresses without rules and canaries join the catch-all server `_` (its root location, and the
 * server that takes a canary's paths when its host has no server yet).
 */
function independentGroups(ordered: readonly IngressModel[], isCanary: (m: IngressModel) => boolean): IngressModel[][] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    if (!parent.has(k)) {
      parent.set(k, k);
      return k;
    }
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    for (let x = k; x !== r; ) {
      const next = parent.get(x)!;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  const keysOf = (m: IngressModel): string[] => {
    const keys: string[] = [];
    for (const r of m.rules) {
      keys.push(`h ${r.host}`);
      for (const p of r.paths) {
        const u = upstreamKey(m, p.backend);
        if (u) keys.push(`u ${u}`);
      }
    }
    const db = upstreamKey(m, m.defaultBackend);
    if (db) keys.push(`u ${db}`);
    if (m.rules.length === 0 || isCanary(m)) keys.push('h ');
    return keys;
  };
  const first = new Map<IngressModel, string>();
  for (const m of ordered) {
    const keys = keysOf(m);
    const own = `i ${first.size}`;
    first.set(m, own);
    for (const k of keys) union(own, k);
  }
  const groups = new Map<string, IngressModel[]>();
  for (const m of ordered) {
    const root = find(first.get(m)!);
    const g = groups.get(root);
    if (g) g.push(m);
    else groups.set(root, [m]);
  }
  return [...groups.values()];
}

function refuseInGroup(
  ctx: ProviderContext,
  ordered: readonly IngressModel[],
  isCanary: (m: IngressModel) => boolean,
  regexHost: (m: IngressModel, host: string) => boolean,
  refused: Set<IngressModel>,
): void {
  if (!duplicate(ordered, isCanary, regexHost)) return;
  const accepted: IngressModel[] = [];
  for (const m of ordered) {
    const dup = duplicate([...accepted, m], isCanary, regexHost);
    if (!dup) {
      accepted.push(m);
      continue;
    }
    refused.add(m);
    const [a, b] = dup;
    const mine = a.model !== m ? b : b.model !== m ? a : laterInDocument(a, b);
    const other = mine === a ? b : a;
    const location = mine.path.endsWith('/') ? mine.path : `${mine.path}/`;
    const whose = other.model === m ? 'this Ingress' : `Ingress ${other.model?.namespace}/${other.model?.name}`;
    const why =
      other.path === mine.path
        ? `is also a path of ${whose}, and ingress-nginx added it a second time because a location with the same path and another type came first`
        : `and the Prefix "${other.path}" of ${whose} are both nginx's location ${location}`;
    ctx.report({
      ruleId: 'ingress-nginx/duplicate-location',
      severity: 'warning',
      message: `Prefix "${mine.path}" ${why}; nginx refuses a configuration with a duplicate location, so the admission webhook refused this Ingress (without it, the controller stopped reloading) and nginx never served it; it was translated as written`,
      remediation: 'Remove the duplicate path (a Prefix "/foo" already matches "/foo/" and below), then check the Gateway API output against what this Ingress was meant to do.',
      doc: m.doc,
      path: [...(mine.ingressPath?.at ?? []), 'path'],
    });
  }
}
