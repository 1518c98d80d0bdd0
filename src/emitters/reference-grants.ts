/**
 * ReferenceGrants for the backends routes reach in other namespaces (Gateway API v1.6.1
 * ReferenceGrant: a cross-namespace backendRef is valid only when the target namespace grants
 * it). One grant per (target namespace, route kind, route namespace), naming exactly the objects
 * referenced: the minimal grant.
 */
import type { KubeObject } from '../inputs/document.js';
import type { Provenance } from '../ir/types.js';
import { GATEWAY_API_GROUP } from '../ir/k8s-names.js';
import type { EmitOptions } from './gateway-api.js';
import type { NameRegistry } from './names.js';

/** Entries per ReferenceGrant before it is split (kept small so a grant stays reviewable). */
export const MAX_GRANT_ENTRIES = 16;

type Metadata = (name: string, namespace: string | undefined, prov: readonly Provenance[], opts: EmitOptions) => Record<string, unknown>;

interface Target {
  group: string;
  kind: string;
  name: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every object reference a route rule makes: its backendRefs and the backends of its mirror filters. */
function references(rule: Record<string, unknown>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const fromFilters = (filters: unknown) => {
    for (const f of Array.isArray(filters) ? filters : []) {
      if (isRecord(f) && isRecord(f.requestMirror) && isRecord(f.requestMirror.backendRef)) out.push(f.requestMirror.backendRef);
    }
  };
  fromFilters(rule.filters);
  for (const b of Array.isArray(rule.backendRefs) ? rule.backendRefs : []) {
    if (!isRecord(b)) continue;
    out.push(b);
    fromFilters(b.filters);
  }
  return out;
}

export function backendReferenceGrants(
  routes: readonly KubeObject[],
  provenance: ReadonlyMap<string, Provenance[]>,
  names: NameRegistry,
  opts: EmitOptions,
  metadata: Metadata,
): KubeObject[] {
  // target namespace -> `kind/from namespace` -> targets by `group/kind/name`, with provenance.
  const grants = new Map<string, Map<string, { kind: string; from: string; to: Map<string, Target>; prov: Provenance[] }>>();
  for (const route of routes) {
    const from = route.metadata.namespace ?? 'default';
    const spec = isRecord(route.spec) ? route.spec : {};
    for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
      if (!isRecord(rule)) continue;
      for (const ref of references(rule)) {
        if (typeof ref.namespace !== 'string' || ref.namespace === from || typeof ref.name !== 'string') continue;
        const target: Target = { group: typeof ref.group === 'string' ? ref.group : '', kind: typeof ref.kind === 'string' ? ref.kind : 'Service', name: ref.name };
        let byFrom = grants.get(ref.namespace);
        if (!byFrom) grants.set(ref.namespace, (byFrom = new Map()));
        const k = `${route.kind}/${from}`;
        let g = byFrom.get(k);
        if (!g) byFrom.set(k, (g = { kind: route.kind, from, to: new Map(), prov: [] }));
        g.to.set(`${target.group}/${target.kind}/${target.name}`, target);
        g.prov.push(...(provenance.get(`${route.kind}/${from}/${route.metadata.name ?? ''}`) ?? []));
      }
    }
  }
  const out: KubeObject[] = [];
  for (const ns of [...grants.keys()].sort()) {
    const byFrom = grants.get(ns)!;
    for (const k of [...byFrom.keys()].sort()) {
      const g = byFrom.get(k)!;
      const to = [...g.to.keys()].sort().map((key) => g.to.get(key)!);
      for (let i = 0; i < to.length; i += MAX_GRANT_ENTRIES) {
        const part = to.slice(i, i + MAX_GRANT_ENTRIES);
        const name = names.claim('ReferenceGrant', ns, `gateway-shift-${g.kind.toLowerCase()}s-from-${g.from}`);
        out.push({
          apiVersion: `${GATEWAY_API_GROUP}/v1`,
          kind: 'ReferenceGrant',
          metadata: metadata(name, ns, g.prov, opts),
          spec: {
            from: [{ group: GATEWAY_API_GROUP, kind: g.kind, namespace: g.from }],
            to: part.map((t) => ({ group: t.group, kind: t.kind, name: t.name })),
          },
        });
      }
    }
  }
  return out;
}
