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
  // Ingresses by the tls host patterns they list with a Secret, in the order of `primaries`.
  const withSecret = new Map<string, number[]>();
  primaries.forEach((o, i) => {
    for (const h of new Set(o.tls.filter((t) => t.secretName).flatMap((t) => t.hosts))) {
      const list = withSecret.get(h);
      if (list) list.push(i);
      else withSecret.set(h, [i]);
    }
  });
  /** The first Ingress other than `m` listing a Secret whose host pattern covers `host`. */
  const laterFor = (m: IngressModel, host: string): IngressModel | undefined => {
    const dot = host.indexOf('.');
    const patterns = [host, ...(dot > 0 ? [`*${host.slice(dot)}`] : [])];
    const first = Math.min(...patterns.flatMap((p) => (withSecret.get(p) ?? []).filter((i) => primaries[i] !== m).slice(0, 1)));
    return Number.isFinite(first) ? primaries[first] : undefined;
  };
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
      const later = laterFor(m, host);
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

/**
 * The tls entries of an Ingress as ingress-nginx applies them: a certificate serves only hosts of
 * the same Ingress's rules (createServers walks the Ingress's rules, extractTLSSecretName looks at
 * its tls section), and lua looks it up by those server names (certificate.lua: the name, else
 * the one-label wildcard server name). So a tls host without a rule of this Ingress is dropped,
 * and a wildcard tls host that is not itself a rule host stands for the rule hosts it covers
 * (the www twin of a rule host and the aliases stay: their servers use the host's certificate).
 * A Gateway API listener for the wildcard would also serve and redirect sibling hosts of other
 * Ingresses, which nginx did not.
 */
export function nginxTlsEntries(ctx: ProviderContext, m: IngressModel, fromToWww: boolean, aliases: readonly string[], hasServer: (host: string) => boolean = () => false): IngressModel['tls'] {
  const ruleHosts = [...new Set(m.rules.map((r) => r.host).filter((h) => h !== ''))];
  // The from-to-www-redirect server of a host, and its aliases, use the host's certificate when
  // it names them, unless the name is a host with a server of its own (BuildRedirects and the
  // aliases skip those).
  const twins = [...aliases.map((a) => a.toLowerCase()), ...(fromToWww ? ruleHosts.filter((h) => !h.startsWith('*.')).map((h) => (h.startsWith('www.') ? h.slice(4) : `www.${h}`)) : [])].filter(
    (h) => !hasServer(h),
  );
  return m.tls.map((t) => {
    const hosts: string[] = [];
    const dropped: string[] = [];
    for (const h of t.hosts) {
      if (ruleHosts.includes(h) || twins.includes(h)) hosts.push(h);
      else {
        const covered = h.startsWith('*.') && t.secretName ? [...ruleHosts, ...twins].filter((r) => !r.startsWith('*.') && covers(h, r)) : [];
        if (covered.length) hosts.push(...covered);
        else dropped.push(h);
      }
    }
    if (dropped.length) {
      ctx.report({
        ruleId: 'ingress-nginx/tls-host-without-rule',
        severity: 'info',
        message: `${dropped.join(', ')} ${dropped.length > 1 ? 'are' : 'is'} in this tls entry but in no rule of this Ingress; ingress-nginx uses a tls section only for the hosts of the same Ingress's rules, so no listener was made from ${dropped.length > 1 ? 'them' : 'it'} here`,
        remediation: 'List the host in the tls section of the Ingress that has its rules.',
        doc: m.doc,
        path: t.at,
      });
    }
    return { ...t, hosts: [...new Set(hosts)] };
  });
}
