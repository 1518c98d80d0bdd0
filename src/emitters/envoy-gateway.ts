/**
 * Envoy Gateway policy objects (gateway.envoyproxy.io/v1alpha1, as of Envoy Gateway v1.9.0) for
 * what standard Gateway API cannot say: BackendTrafficPolicy and SecurityPolicy attached to the
 * routes of an Ingress, ClientTrafficPolicy attached to the HTTPS listener of a host.
 */
import type { Finding } from '../findings/finding.js';
import type { KubeObject } from '../inputs/document.js';
import type { EnvoyGatewayPolicyIntent as PolicyIntent } from '../ir/types.js';
import { GATEWAY_API_GROUP } from '../ir/k8s-names.js';
import { metadata, sortByKey, type EmitOptions, type EmitResult } from './gateway-api.js';
import { NameRegistry } from './names.js';

export const ENVOY_GATEWAY_API_VERSION = 'gateway.envoyproxy.io/v1alpha1';

export function emitEnvoyGatewayPolicies(
  policies: readonly PolicyIntent[],
  placed: Pick<EmitResult, 'routeNames' | 'httpsListener'>,
  opts: EmitOptions,
): { objects: KubeObject[]; findings: Finding[] } {
  const objects: KubeObject[] = [];
  const findings: Finding[] = [];
  const names = new NameRegistry();
  /** Objects that policies of another namespace refer to: `targetNs policyKind policyNs` -> what. */
  const grants = new Map<string, { ns: string; fromKind: string; from: string; to: Set<string>; provenance: PolicyIntent['provenance'] }>();
  const at = (p: PolicyIntent): Partial<Finding> => {
    const src = p.provenance[0];
    if (!src) return {};
    const f: Partial<Finding> = { object: src.object };
    if (src.field !== undefined) f.field = src.field;
    if (src.position !== undefined) f.position = src.position;
    return f;
  };
  // A policy that checked client certificates and is not generated leaves the host open.
  const protects = (p: PolicyIntent): boolean => p.kind === 'ClientTrafficPolicy' && (p.spec.tls as { clientValidation?: unknown } | undefined)?.clientValidation !== undefined;
  const unattached = (p: PolicyIntent, why: string, remediation: string): void => {
    findings.push({
      ruleId: 'core/policy-unattached',
      severity: protects(p) ? 'error' : 'warning',
      message: `the ${p.kind} for ${why} was not generated${protects(p) ? ', so the client-certificate check is lost' : ''}`,
      remediation,
      ...at(p),
    });
  };
  const listenerTargets = listenerAssignments(policies, placed, findings, at);
  for (const p of sortByKey(policies, (x) => `${x.kind}/${x.namespace}/${x.name}`)) {
    const targetRefs: Record<string, unknown>[] = [];
    let namespace = p.namespace;
    if ('routes' in p.attach) {
      for (const r of p.attach.routes) {
        if (r.namespace !== p.namespace) continue;
        for (const name of placed.routeNames.get(r) ?? []) targetRefs.push({ group: GATEWAY_API_GROUP, kind: r.kind, name });
      }
      if (targetRefs.length === 0) {
        unattached(p, `${p.namespace}/${p.name}`, 'None of its routes was generated; fix the findings about the routes first.');
        continue;
      }
    } else {
      const listeners = listenerTargets.get(p);
      if (listeners === 'conflict') continue;
      if (!listeners || listeners.length === 0) {
        const host = p.attach.hostnames[0] ?? '';
        unattached(
          p,
          `the HTTPS listener of ${host}`,
          opts.parentRef
            ? `With --parent-ref the listeners of the existing Gateway are unknown: attach a ClientTrafficPolicy with this spec to the listener serving ${p.attach.hostnames.join(', ')}: ${JSON.stringify(p.spec)}`
            : `The host has no HTTPS listener; give it a TLS certificate, or drop the setting.`,
        );
        continue;
      }
      namespace = listeners[0]!.namespace;
      for (const l of listeners) targetRefs.push({ group: GATEWAY_API_GROUP, kind: l.kind, name: l.name, sectionName: l.sectionName });
    }
    const name = names.claim(p.kind, namespace, p.name);
    const spec = localizeSecretRefs(p.spec, namespace, (ns, target, kind = 'Secret') => {
      const k = `${ns} ${p.kind} ${namespace}`;
      let g = grants.get(k);
      if (!g) grants.set(k, (g = { ns, fromKind: p.kind, from: namespace, to: new Set(), provenance: [] }));
      g.to.add(`${kind}/${target}`);
      g.provenance.push(...p.provenance);
    });
    objects.push({
      apiVersion: ENVOY_GATEWAY_API_VERSION,
      kind: p.kind,
      metadata: metadata(name, namespace, p.provenance, opts),
      spec: { targetRefs, ...spec },
    });
  }
  // ReferenceGrants so that a policy may read an object of another namespace: a
  // ClientTrafficPolicy in the Gateway's namespace the CA Secret of an Ingress's namespace, a
  // SecurityPolicy the auth Service of another namespace.
  for (const g of [...grants.values()].sort((x, y) => (`${x.ns} ${x.fromKind} ${x.from}` < `${y.ns} ${y.fromKind} ${y.from}` ? -1 : 1))) {
    const what = g.fromKind === 'ClientTrafficPolicy' ? 'client-ca' : 'ext-auth';
    objects.push({
      apiVersion: `${GATEWAY_API_GROUP}/v1`,
      kind: 'ReferenceGrant',
      metadata: metadata(names.claim('ReferenceGrant', g.ns, `gateway-shift-${what}-from-${g.from}`), g.ns, g.provenance, opts),
      spec: {
        from: [{ group: 'gateway.envoyproxy.io', kind: g.fromKind, namespace: g.from }],
        to: [...g.to].sort().map((t) => ({ group: '', kind: t.slice(0, t.indexOf('/')), name: t.slice(t.indexOf('/') + 1) })),
      },
    });
  }
  // Envoy's route timeout defaults to 15s; nginx had no limit on a whole request (only 60s
  // between reads), so slow responses that worked before would now fail with 504.
  const timed = new Set<string>();
  for (const p of policies) {
    const http = (p.spec.timeout as { http?: { requestTimeout?: string } } | undefined)?.http;
    if (p.kind === 'BackendTrafficPolicy' && http?.requestTimeout !== undefined && 'routes' in p.attach) for (const r of p.attach.routes) timed.add(`${r.namespace}/${r.name}`);
  }
  const untimed = [...placed.routeNames.keys()].filter((r) => r.httpsRedirectFor === undefined && !timed.has(`${r.namespace}/${r.name}`));
  if (untimed.length > 0) {
    findings.push({
      ruleId: 'envoy-gateway/default-request-timeout',
      severity: 'info',
      message: `Envoy limits a whole request to 15s by default; ingress-nginx had no such limit (it allowed 60s between two reads from the backend). ${untimed.length} route(s) have no proxy-read-timeout and keep Envoy\u2019s default`,
      remediation: 'For backends with slow responses or long downloads, set proxy-read-timeout on the Ingress before converting, or add a BackendTrafficPolicy with timeout.http.requestTimeout.',
    });
  }
  return { objects, findings };
}

type Listener = NonNullable<ReturnType<EmitResult['httpsListener']>>;

/**
 * Which listeners each ClientTrafficPolicy targets. A policy covers every listener serving its
 * host or one of the host's aliases. Envoy Gateway takes one ClientTrafficPolicy per listener
 * (others are Conflicted), and a listener's settings apply to every host it serves: a listener
 * shared by hosts with different settings, or serving a host without them (a wildcard
 * certificate), cannot reproduce nginx's per-host settings and is reported instead.
 */
function listenerAssignments(
  policies: readonly PolicyIntent[],
  placed: Pick<EmitResult, 'routeNames' | 'httpsListener'>,
  findings: Finding[],
  at: (p: PolicyIntent) => Partial<Finding>,
): Map<PolicyIntent, Listener[] | 'conflict'> {
  const key = (l: Listener) => `${l.kind}/${l.namespace}/${l.name}/${l.sectionName}`;
  const byListener = new Map<string, { listener: Listener; policies: PolicyIntent[]; hosts: Set<string> }>();
  const out = new Map<PolicyIntent, Listener[] | 'conflict'>();
  const ctps = sortByKey(
    policies.filter((p) => p.kind === 'ClientTrafficPolicy' && 'hostnames' in p.attach),
    (x) => `${x.namespace}/${x.name}`,
  );
  for (const p of ctps) {
    if (!('hostnames' in p.attach)) continue;
    const mine: Listener[] = [];
    for (const h of p.attach.hostnames) {
      const l = placed.httpsListener(p.attach.gatewayKey, h);
      if (!l) continue;
      let e = byListener.get(key(l));
      if (!e) byListener.set(key(l), (e = { listener: l, policies: [], hosts: new Set() }));
      if (!e.policies.includes(p)) e.policies.push(p);
      if (!mine.some((x) => key(x) === key(l))) mine.push(l);
    }
    out.set(p, mine);
  }
  // The hosts each listener serves, from the routes attached to it.
  for (const r of placed.routeNames.keys()) {
    if (!r.attach.https) continue;
    for (const h of r.hostnames) {
      const l = placed.httpsListener(r.gatewayKey, h);
      const e = l ? byListener.get(key(l)) : undefined;
      if (e) e.hosts.add(h);
    }
  }
  for (const e of byListener.values()) {
    const specs = new Set(e.policies.map((p) => JSON.stringify(p.spec)));
    const covered = new Set(e.policies.flatMap((p) => ('hostnames' in p.attach ? p.attach.hostnames : [])));
    const uncovered = [...e.hosts].filter((h) => !covered.has(h)).sort();
    if (specs.size === 1 && uncovered.length === 0) {
      // Identical settings: the first policy takes the listener, the others leave it out.
      for (const p of e.policies.slice(1)) {
        const l = out.get(p);
        if (Array.isArray(l)) out.set(p, l.filter((x) => key(x) !== key(e.listener)));
      }
      continue;
    }
    for (const p of e.policies) {
      out.set(p, 'conflict');
      findings.push({
        ruleId: 'core/listener-policy-conflict',
        severity: 'error',
        message: `listener ${e.listener.sectionName} of ${e.listener.kind} ${e.listener.namespace}/${e.listener.name} serves ${[...e.hosts].sort().join(', ')}; nginx applied TLS settings (ciphers, client certificates) per host, but ${
          specs.size > 1 ? 'these hosts have different ones' : `${uncovered.join(', ')} had none`
        }, and a listener has one ClientTrafficPolicy, so none was generated`,
        remediation: 'Give each host its own certificate (and so its own listener), or make the hosts\u2019 TLS settings the same, then regenerate.',
        ...at(p),
      });
    }
  }
  return out;
}

/**
 * Drops `namespace` from Secret references (caCertificateRefs, basicAuth users) that point into the
 * policy's own namespace; reports the others, which need a ReferenceGrant.
 */
function localizeSecretRefs(spec: Record<string, unknown>, namespace: string, crossNamespace: (ns: string, name: string, kind?: string) => void): Record<string, unknown> {
  // extAuth backends in another namespace need a ReferenceGrant too.
  const ext = spec.extAuth as { http?: { backendRefs?: { namespace?: string; name: string }[] } } | undefined;
  for (const r of ext?.http?.backendRefs ?? []) if (r.namespace !== undefined && r.namespace !== namespace) crossNamespace(r.namespace, r.name, 'Service');
  const tls = spec.tls as { clientValidation?: { caCertificateRefs?: { namespace?: string; name: string }[] } } | undefined;
  const refs = tls?.clientValidation?.caCertificateRefs;
  if (!refs) return spec;
  const localized = refs.map((r) => {
    if (r.namespace === undefined || r.namespace === namespace) {
      const { namespace: _ns, ...rest } = r;
      return rest;
    }
    crossNamespace(r.namespace, r.name);
    return r;
  });
  return { ...spec, tls: { ...tls, clientValidation: { ...tls!.clientValidation, caCertificateRefs: localized } } };
}
