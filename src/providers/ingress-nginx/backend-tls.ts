/**
 * TLS to the backend: backend-protocol HTTPS/GRPCS with proxy-ssl-* (controller-v1.15.1
 * internal/ingress/annotations/proxyssl/main.go; nginx.tmpl L1428-1450).
 *
 * nginx proxies over TLS without verifying the certificate and without SNI unless the Ingress
 * has proxy-ssl-secret (namespace/name of a Secret with ca.crt, same namespace) and
 * proxy-ssl-verify "on"; it then verifies against proxy-ssl-name (without one, against the
 * upstream's internal name "upstream_balancer", which fails every request) and sends that name
 * as SNI only with proxy-ssl-server-name "on". All proxy-ssl-* keys are read only when
 * proxy-ssl-secret is set.
 *
 * Gateway API's BackendTLSPolicy always verifies (CA references plus hostname, also the SNI) and
 * applies to a Service, not to the routes of one Ingress. So: verified TLS becomes a
 * BackendTLSPolicy for each Service the Ingress's rules reach (canaries included, they share
 * the location's settings); unverified TLS cannot be expressed and is reported.
 */
import type { RouteIntent } from '../../ir/types.js';
import type { IngressModel } from '../common/ingress-model.js';
import { provenanceOf } from '../common/translate.js';
import type { ProviderContext } from '../types.js';
import { reporterFor } from './annotations.js';
import { NGINX_PREFIX } from './rules.js';
import { DNS_LABEL } from '../../ir/k8s-names.js';

const PROXY_SSL_KEYS = ['proxy-ssl-secret', 'proxy-ssl-verify', 'proxy-ssl-verify-depth', 'proxy-ssl-ciphers', 'proxy-ssl-protocols', 'proxy-ssl-name', 'proxy-ssl-server-name'];
/** ValidateServerName (parser/validators.go): a host name, nginx variables allowed. */
const SERVER_NAME = /^[A-Za-z0-9.\-_$]+$/;
/** Gateway API PreciseHostname. */
const PRECISE_HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

interface Claim {
  model: IngressModel;
  tls: boolean;
  policy?: string;
}

function servicesOf(routes: readonly RouteIntent[]): string[] {
  const out = new Set<string>();
  for (const r of routes) {
    if (r.httpsRedirectFor !== undefined) continue;
    for (const rule of r.rules) for (const b of rule.backends) if ((b.kind ?? 'Service') === 'Service' && (b.group ?? '') === '') out.add(b.name);
  }
  return [...out].sort();
}

export function applyBackendTls(
  ctx: ProviderContext,
  ordered: readonly IngressModel[],
  protocolOf: (m: IngressModel) => string | undefined,
  routesOf: (m: IngressModel) => readonly RouteIntent[],
  consumedOf: (m: IngressModel) => Set<string>,
): void {
  /** Which Ingress first decided how nginx reached each Service (`ns/name`). */
  const claims = new Map<string, Claim>();
  const ann = (m: IngressModel, k: string): string | undefined => {
    const v = m.annotations[NGINX_PREFIX + k];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const validSecret = (m: IngressModel, secret: string): boolean => {
    const parts = secret.split('/');
    return parts.length === 2 && DNS_LABEL.test(parts[0]!) && parts[1] !== '' && parts[0] === m.namespace;
  };
  // The first Ingress of a host with a proxy-ssl-secret also sets the server-level proxy_ssl_*
  // directives, which every location of the host without its own inherits (controller.go
  // L777-788, nginx.tmpl L950-961; unless the ConfigMap sets proxy-ssl-location-only).
  const serverDefault = new Map<string, IngressModel>();
  for (const m of ordered) {
    const secret = ann(m, 'proxy-ssl-secret');
    if (secret === undefined || !validSecret(m, secret)) continue;
    for (const r of m.rules) if (r.host !== '' && !serverDefault.has(`${ctx.gatewayKeyFor(m)} ${r.host}`)) serverDefault.set(`${ctx.gatewayKeyFor(m)} ${r.host}`, m);
  }
  for (const m of ordered) {
    const consumed = consumedOf(m);
    const report = reporterFor(ctx, m);
    const proto = protocolOf(m);
    const tls = proto === 'HTTPS' || proto === 'GRPCS';
    const services = servicesOf(routesOf(m));
    const secret = ann(m, 'proxy-ssl-secret');
    const present = PROXY_SSL_KEYS.filter((k) => ann(m, k) !== undefined);

    if (secret !== undefined && !validSecret(m, secret)) {
      // proxyssl.Parse runs whatever the protocol and denies the location.
      for (const k of ['proxy-ssl-secret', 'proxy-ssl-verify', 'proxy-ssl-name', 'proxy-ssl-server-name']) if (ann(m, k) !== undefined) consumed.add(NGINX_PREFIX + k);
      report('proxy-ssl-secret', {
        severity: 'error',
        message: `proxy-ssl-secret="${secret}" must be namespace/name in the Ingress\u2019s namespace; ingress-nginx answered every path of the Ingress with 503, and no BackendTLSPolicy was generated`,
        remediation: 'Fix the reference, then regenerate.',
      });
      continue;
    }
    if (!tls) {
      for (const s of services) if (!claims.has(`${m.namespace}/${s}`)) claims.set(`${m.namespace}/${s}`, { model: m, tls: false });
      if (secret !== undefined) {
        for (const k of present) {
          consumed.add(NGINX_PREFIX + k);
          report(k, { severity: 'info', message: `${k} had no effect: without backend-protocol HTTPS or GRPCS ingress-nginx did not use TLS to the backend` });
        }
      }
      continue;
    }
    // The settings in force: the Ingress's own, else the server-level ones of its host.
    const inheritedFrom = secret === undefined ? m.rules.map((r) => serverDefault.get(`${ctx.gatewayKeyFor(m)} ${r.host}`)).find((x) => x !== undefined) : undefined;
    const src = inheritedFrom ?? m;
    const a = (k: string): string | undefined => ann(src, k);
    const effectiveSecret = secret ?? (inheritedFrom ? ann(inheritedFrom, 'proxy-ssl-secret') : undefined);
    const list = services.join(', ') || 'the backends';
    const verify = effectiveSecret !== undefined && a('proxy-ssl-verify') === 'on';
    if (inheritedFrom) {
      report('backend-protocol', {
        severity: 'info',
        message: `this Ingress has no proxy-ssl-secret, so its backends used the host\u2019s server-level TLS settings, taken from Ingress ${inheritedFrom.namespace}/${inheritedFrom.name} (verification ${verify ? 'on' : 'off'})`,
      });
    }
    if (!verify) {
      if (secret !== undefined) for (const k of ['proxy-ssl-secret', 'proxy-ssl-verify', 'proxy-ssl-name', 'proxy-ssl-server-name']) if (a(k) !== undefined) consumed.add(NGINX_PREFIX + k);
      report('backend-protocol', {
        severity: 'warning',
        message: `ingress-nginx reached ${list} over TLS without verifying the certificate${effectiveSecret === undefined ? ' (no proxy-ssl-secret)' : ' (proxy-ssl-verify was not "on")'}; a Gateway API BackendTLSPolicy always verifies, so none was generated and the backends are reached as plain ${proto === 'GRPCS' ? 'gRPC' : 'HTTP'}`,
        remediation: `Create a BackendTLSPolicy for ${list} with validation.hostname (a name in the backend certificate) and caCertificateRefs (a ConfigMap with ca.crt) or wellKnownCACertificates: System, or give the Ingress proxy-ssl-secret, proxy-ssl-verify "on" and proxy-ssl-name and regenerate.`,
      });
      continue;
    }
    if (secret !== undefined) for (const k of ['proxy-ssl-secret', 'proxy-ssl-verify', 'proxy-ssl-name', 'proxy-ssl-server-name']) if (a(k) !== undefined) consumed.add(NGINX_PREFIX + k);
    const parts = effectiveSecret!.split('/');
    // Findings about inherited settings point at this Ingress's backend-protocol.
    const own = (k: string): string => (inheritedFrom ? 'backend-protocol' : k);
    const name = a('proxy-ssl-name');
    if (name === undefined || !SERVER_NAME.test(name)) {
      report(own('proxy-ssl-verify'), {
        severity: 'error',
        message: `proxy-ssl-verify is on without ${name === undefined ? 'proxy-ssl-name' : `a valid proxy-ssl-name ("${name}")`}, so nginx verified the backend certificate against its internal upstream name and every request failed with 502; no BackendTLSPolicy was generated`,
        remediation: 'Set proxy-ssl-name to a name in the backend certificate, then regenerate.',
      });
      continue;
    }
    const hostname = name.toLowerCase();
    if (!PRECISE_HOSTNAME.test(hostname)) {
      report(own('proxy-ssl-name'), { severity: 'warning', message: `proxy-ssl-name "${name}" is not a host name a BackendTLSPolicy accepts (nginx variables, underscores); no BackendTLSPolicy was generated` });
      continue;
    }
    const policy = `${effectiveSecret} ${hostname}`;
    for (const s of services) {
      const key = `${m.namespace}/${s}`;
      const prior = claims.get(key);
      if (prior && (!prior.tls || prior.policy !== policy)) {
        report(own('proxy-ssl-secret'), {
          severity: 'warning',
          message: `Service ${key} is also reached by Ingress ${prior.model.namespace}/${prior.model.name} ${prior.tls ? 'with other TLS settings' : 'without TLS'}; a BackendTLSPolicy applies to every route to the Service, so ${prior.tls ? 'only the first settings were kept' : 'none was generated for it'}`,
          remediation: 'Use one Service (or Service port) per TLS setting.',
        });
        continue;
      }
      if (prior) continue;
      claims.set(key, { model: m, tls: true, policy });
      ctx.ir.backendTls.push({ namespace: m.namespace, service: s, caSecret: parts[1]!, hostname, provenance: [provenanceOf(m, ['metadata', 'annotations', NGINX_PREFIX + 'proxy-ssl-secret'])] });
    }
    const notes = [
      `the CA is read from the ca.crt key of Secret ${effectiveSecret} (a Secret reference is implementation-specific; Envoy Gateway accepts it, the core support is a ConfigMap with ca.crt)`,
      a('proxy-ssl-server-name') === 'on' ? undefined : 'BackendTLSPolicy also sends the name as SNI, which nginx did not (proxy-ssl-server-name off)',
      `if the Secret has tls.crt and tls.key, nginx presented them as a client certificate; Gateway API has one per Gateway (spec.tls.backend.clientCertificateRef)`,
    ].filter(Boolean);
    report(own('proxy-ssl-verify'), { severity: 'info', message: `TLS to ${list} is verified against ${hostname} by a BackendTLSPolicy; ${notes.join('; ')}` });
  }
  // A Service reached over TLS by one Ingress and in plain HTTP by a later one.
  for (const m of ordered) {
    const proto = protocolOf(m);
    if (proto === 'HTTPS' || proto === 'GRPCS') continue;
    for (const s of servicesOf(routesOf(m))) {
      const prior = claims.get(`${m.namespace}/${s}`);
      if (prior?.tls && prior.model !== m) {
        reporterFor(ctx, m)('backend-protocol', {
          ruleId: 'ingress-nginx/backend-tls-shared',
          severity: 'warning',
          message: `Service ${m.namespace}/${s} gets a BackendTLSPolicy from Ingress ${prior.model.namespace}/${prior.model.name}, which also makes this Ingress\u2019s plain-HTTP traffic to it TLS`,
          remediation: 'Use one Service (or Service port) per protocol.',
        });
      }
    }
  }
}
