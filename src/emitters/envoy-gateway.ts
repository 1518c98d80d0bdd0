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
  const unattached = (p: PolicyIntent, why: string, remediation: string): void => {
    const src = p.provenance[0];
    const f: Finding = {
      ruleId: 'core/policy-unattached',
      severity: 'warning',
      message: `the ${p.kind} for ${why} was not generated`,
      remediation,
    };
    if (src) {
      f.object = src.object;
      if (src.field !== undefined) f.field = src.field;
      if (src.position !== undefined) f.position = src.position;
    }
    findings.push(f);
  };
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
      const listener = placed.httpsListener(p.attach.gatewayKey, p.attach.hostname);
      if (!listener) {
        unattached(
          p,
          `the HTTPS listener of ${p.attach.hostname}`,
          opts.parentRef
            ? `With --parent-ref the listeners of the existing Gateway are unknown: attach a ClientTrafficPolicy with this spec to the listener serving ${p.attach.hostname}: ${JSON.stringify(p.spec)}`
            : `The host has no HTTPS listener; give it a TLS certificate, or drop the setting.`,
        );
        continue;
      }
      namespace = listener.namespace;
      targetRefs.push({ group: GATEWAY_API_GROUP, kind: listener.kind, name: listener.name, sectionName: listener.sectionName });
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
