/**
 * Which certificate ingress-nginx gives a host (controller-v1.15.1 controller.go createServers
 * L1446-1505, extractTLSSecretName L1719-1764): the FIRST Ingress in controller order that has a
 * rule for the host and a non-empty tls section decides. Its Secret is used when a tls entry
 * lists the host (an entry without secretName means the default certificate), or when one of
 * its Secrets' certificates covers the host; otherwise the host gets the controller's default
 * (self-signed) certificate. Either way the host counts as having a certificate, so
 * lua_ingress.lua redirects its HTTP requests to HTTPS. Later Ingresses listing the host with a
 * Secret change nothing.
 *
 * The translation knows certificates only through tls hosts (it assumes a Secret covers what
 * its entry lists), so it cannot reproduce a host served with the default certificate: it keeps
 * the host on HTTP, or uses the later Ingress's Secret. This reports it.
 */
import type { IngressModel } from '../common/ingress-model.js';
import { inControllerOrder } from '../common/ingress-translator.js';
import type { ProviderContext } from '../types.js';

function covers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot) === pattern.slice(1);
}

export function reportDefaultCertificates(ctx: ProviderContext, primaries: readonly IngressModel[]): void {
  const decided = new Set<string>();
  for (const m of inControllerOrder(primaries)) {
    if (m.tls.length === 0) continue;
    for (const r of m.rules) {
      const host = r.host;
      const key = `${m.className ?? ''} ${host}`;
      if (host === '' || decided.has(key)) continue;
      decided.add(key);
      // Listed by name (an entry without secretName is reported as tls-without-secret), or
      // covered by a wildcard listed with a Secret.
      if (m.tls.some((t) => t.hosts.includes(host) || (t.secretName && t.hosts.some((h) => covers(h, host))))) continue;
      const later = primaries.find((o) => o !== m && o.tls.some((t) => t.secretName && t.hosts.some((h) => covers(h, host))));
      ctx.report({
        ruleId: 'ingress-nginx/default-certificate',
        severity: 'warning',
        message:
          `${host} has a rule in this Ingress, the first (in controller order) with a tls section for any of its hosts, and that section does not list ${host}: ` +
          `ingress-nginx served ${host} with its default self-signed certificate and redirected HTTP to HTTPS; ` +
          (later
            ? `the translation uses the Secret that Ingress ${later.namespace}/${later.name} lists for it instead`
            : `the translation has no certificate for it, so it keeps ${host} on plain HTTP`),
        remediation: `List ${host} in this Ingress's tls section with the Secret that holds its certificate.`,
        doc: m.doc,
        path: m.tls[0]!.at,
      });
    }
  }
}
