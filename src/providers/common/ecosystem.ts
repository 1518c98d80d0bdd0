/**
 * Annotations of tools that act on Ingresses besides the controller: cert-manager (ingress-shim)
 * and external-dns. In Gateway API they act on other objects, so they move there.
 */
import type { GatewayIntent, RouteIntent } from '../../ir/types.js';
import type { ProviderContext } from '../types.js';
import type { IngressModel } from './ingress-model.js';
import { annotationField, provenanceOf } from './translate.js';

export const CERT_MANAGER_PREFIX = 'cert-manager.io/';
export const ACME_PREFIX = 'acme.cert-manager.io/';
/** external-dns read the alpha prefix up to v0.21 and `external-dns.kubernetes.io/` from v0.22. */
export const EXTERNAL_DNS_PREFIXES = ['external-dns.alpha.kubernetes.io/', 'external-dns.kubernetes.io/'];
export const TLS_ACME = 'kubernetes.io/tls-acme';

/** external-dns annotations it reads from the Gateway (the rest from the route). */
const EXTERNAL_DNS_ON_GATEWAY = new Set(['target']);

/** Moves cert-manager and external-dns annotations; returns the keys it accounted for. */
export function handleEcosystemAnnotations(ctx: ProviderContext, m: IngressModel, gw: GatewayIntent, routes: readonly RouteIntent[]): string[] {
  const used: string[] = [];
  for (const key of Object.keys(m.annotations).sort()) {
    const value = m.annotations[key] ?? '';
    const path = ['metadata', 'annotations', key];
    const field = annotationField(key);
    if (key.startsWith(CERT_MANAGER_PREFIX)) {
      used.push(key);
      moveToGateway(ctx, m, gw, key, value, path, field, 'cert-manager reads it from the Gateway (gateway-shim) and issues certificates for its HTTPS listeners');
      if (key === 'cert-manager.io/cluster-issuer' || key === 'cert-manager.io/issuer') {
        // This Ingress's certificates live in its own namespace.
        const foreign = m.namespace === gw.namespace ? [] : m.tls.filter((t) => t.secretName && t.hosts.length).map((t) => `${m.namespace}/${t.secretName}`);
        if (foreign.length > 0) {
          ctx.report({
            ruleId: 'core/cert-manager-cross-namespace',
            severity: 'warning',
            message: `cert-manager only issues certificates for Gateway listeners whose Secret is in the Gateway's namespace (${gw.namespace}); ${foreign.join(', ')} will not be issued or renewed`,
            remediation: 'Use --gateway-mode per-namespace, or put the Gateway in the namespace of the Secrets (--gateway-namespace), or create the Certificate objects yourself.',
            field,
            doc: m.doc,
            path,
          });
        }
      }
    } else if (key.startsWith(ACME_PREFIX) || key === TLS_ACME) {
      used.push(key);
      ctx.report({
        ruleId: 'core/cert-manager-acme',
        severity: 'warning',
        message: `${key} configures ACME HTTP-01 solving through Ingress objects; with Gateway API the Issuer's solver must use gatewayHTTPRoute instead`,
        remediation: 'Change the Issuer/ClusterIssuer: solvers[].http01.gatewayHTTPRoute.parentRefs pointing at the new Gateway.',
        field,
        doc: m.doc,
        path,
      });
    } else if (EXTERNAL_DNS_PREFIXES.some((p) => key.startsWith(p))) {
      used.push(key);
      const name = key.slice(key.indexOf('/') + 1);
      if (EXTERNAL_DNS_ON_GATEWAY.has(name)) {
        moveToGateway(ctx, m, gw, key, value, path, field, 'external-dns reads it from the Gateway for Gateway API routes');
      } else {
        for (const r of routes) r.annotations[key] = value;
        ctx.report({
          ruleId: 'core/external-dns-moved',
          severity: 'info',
          message: `${key} was copied to the HTTPRoute(s) made from this Ingress, where external-dns's gateway-httproute source reads it`,
          remediation: 'Run external-dns with --source=gateway-httproute (and gateway-grpcroute if needed).',
          field,
          doc: m.doc,
          path,
        });
      }
    }
  }
  return used;
}

function moveToGateway(
  ctx: ProviderContext,
  m: IngressModel,
  gw: GatewayIntent,
  key: string,
  value: string,
  path: string[],
  field: string,
  why: string,
): void {
  const existing = gw.annotations[key];
  if (existing && existing.value !== value) {
    ctx.report({
      ruleId: 'core/gateway-annotation-conflict',
      severity: 'warning',
      message: `${key}="${value}" conflicts with "${existing.value}" from another Ingress on the shared Gateway ${gw.namespace}/${gw.name}; the first value was kept`,
      remediation: 'Use one value for all Ingresses of the class, or --gateway-mode per-namespace.',
      field,
      doc: m.doc,
      path,
    });
    return;
  }
  if (existing) existing.provenance.push(provenanceOf(m, path));
  else gw.annotations[key] = { value, provenance: [provenanceOf(m, path)] };
  ctx.report({
    ruleId: 'core/annotation-moved-to-gateway',
    severity: 'info',
    message: `${key} was moved to the Gateway ${gw.namespace}/${gw.name}: ${why}`,
    field,
    doc: m.doc,
    path,
  });
}
