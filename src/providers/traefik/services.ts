/**
 * The `traefik.ingress.kubernetes.io/service.*` annotations, which Traefik reads from the Service a
 * path points to (pkg/provider/kubernetes/ingress/kubernetes.go loadService L594-659), and what
 * the Service's port implies for the connection to the pods (getProtocol L900-911).
 */
import { createHash } from 'node:crypto';
import type { SourceDocument } from '../../inputs/document.js';
import type { ProviderContext } from '../types.js';
import { toGatewayDuration } from '../common/translate.js';
import { readServiceSettings, type ServiceSettings } from './labels.js';
import { normalizeName, resolveMiddlewares, type MiddlewareObject, type Step } from './middlewares.js';
import { findTraefikRule, TRAEFIK_PREFIX } from './rules.js';

export interface ServiceInfo {
  namespace: string;
  name: string;
  doc?: SourceDocument;
  settings?: ServiceSettings;
  /** Traefik could not create the service: the paths to it were not served. */
  unusable?: string;
  /** service.middlewares, resolved. */
  steps: Step[];
  /** sessionPersistence for the rules to the Service (experimental channel only). */
  sessionPersistence?: (port: { number?: number; name?: string }) => Record<string, unknown>;
}

type Report = ProviderContext['report'];

/** Go's cookie.GetName (pkg/server/cookie/cookie.go): the name given, sanitized, or a hash of the service name. */
export function stickyCookieName(name: string | undefined, serviceName: string): string {
  if (name) return name.replace(/[^!#$%&'*+\-.^`|~a-zA-Z0-9]/g, '_');
  return `_${createHash('sha1').update(`_TRAEFIK_BACKEND_${serviceName}`).digest('hex')}`.slice(0, 6);
}

function annotationOf(doc: SourceDocument, key: string) {
  return { field: `metadata.annotations[${key}]`, doc, path: ['metadata', 'annotations', key] as const };
}

/**
 * Reads the traefik annotations of a Service once and reports each of them (on the Service):
 * translated ones with what they became, the others with why not.
 */
export function readServiceInfo(ctx: ProviderContext, namespace: string, name: string, middlewareIndex: ReadonlyMap<string, MiddlewareObject>): ServiceInfo {
  const info: ServiceInfo = { namespace, name, steps: [] };
  const doc = ctx.service(namespace, name);
  if (!doc) return info;
  info.doc = doc;
  const annotations = (doc.object.metadata.annotations ?? {}) as Record<string, string>;
  const report: Report = ctx.report;
  const at = (key: string, ruleId: string, severity: 'error' | 'warning' | 'info', message: string, remediation?: string) => {
    const f: Parameters<Report>[0] = { ruleId, severity, message, ...annotationOf(doc, key) };
    if (remediation) f.remediation = remediation;
    report(f);
  };
  const { settings, error, keys } = readServiceSettings(annotations);
  if (error) {
    info.unusable = `its annotation ${error.key} cannot be read (${error.message})`;
    at(error.key, 'traefik/service-skipped', 'warning', `Traefik could not read the traefik annotations of Service ${namespace}/${name}: ${error.key} ${error.message}; it did not create the service, so the Ingress paths to it were not served, and they were not translated`, 'Fix or remove the annotation.');
    return info;
  }
  // Keys outside service.* are ignored on a Service (the decoder filters them out).
  for (const key of Object.keys(annotations).sort()) {
    if (!key.startsWith(TRAEFIK_PREFIX)) continue;
    if (/^service\./i.test(key.slice(TRAEFIK_PREFIX.length))) continue;
    at(key, 'traefik/ignored-on-service', 'info', `${key} has no effect on a Service: Traefik reads only service.* annotations there`);
  }
  if (!settings) return info;
  info.settings = settings;
  const keyOf = (path: string): string => keys.get(path) ?? `${TRAEFIK_PREFIX}${path}`;
  const rule = (path: string) => findTraefikRule(keyOf(path));
  const fix = (path: string) => rule(path)?.remediation;

  if (settings.middlewares) {
    const res = resolveMiddlewares(settings.middlewares, middlewareIndex);
    if (res.broken.length) {
      info.unusable = 'its service middlewares cannot be built';
      at(keyOf('service.middlewares'), 'traefik/middleware-broken', 'error', `Traefik could not build the service middlewares of Service ${namespace}/${name} (${res.broken.map((b) => b.why).join('; ')}), so the paths to it were not served; they were not translated`, 'Fix the middleware references.');
      return info;
    }
    for (const ref of res.missing) {
      const from = ref.endsWith('@kubernetescrd') ? 'is not in the input' : `comes from Traefik's ${ref.slice(ref.lastIndexOf('@') + 1)} provider, not from the input`;
      at(keyOf('service.middlewares'), 'traefik/middleware-missing', 'error', `the service middleware ${ref} of Service ${namespace}/${name} ${from}, so what it did (authentication? a rewrite?) is not in the output`, 'Add the Middleware object to the input, or configure its effect by hand.');
    }
    info.steps = res.steps;
  }
  const scheme = settings.serversScheme;
  if (scheme !== undefined) {
    if (scheme === 'http') at(keyOf('service.serversscheme'), 'traefik/service.serversscheme', 'info', `service.serversscheme "http" on Service ${namespace}/${name}: plain HTTP to the pods, as Gateway API connects by default`);
    else if (scheme === 'https' || scheme === 'h2c')
      at(
        keyOf('service.serversscheme'),
        'traefik/service.serversscheme',
        'warning',
        scheme === 'https'
          ? `Traefik connected to the pods of Service ${namespace}/${name} with TLS (service.serversscheme "https"); Gateway API connects in plain HTTP unless a BackendTLSPolicy says otherwise, and none was generated`
          : `Traefik spoke HTTP/2 without TLS (h2c) to the pods of Service ${namespace}/${name}; Gateway API needs appProtocol kubernetes.io/h2c on the Service port for that, which was not set`,
        fix('service.serversscheme'),
      );
    else at(keyOf('service.serversscheme'), 'traefik/service.serversscheme', 'warning', `service.serversscheme "${scheme}" is not http, https or h2c; Traefik built unusable server URLs (${scheme}://...) for Service ${namespace}/${name}`, 'Fix the value.');
  }
  if (settings.serversTransport !== undefined) {
    at(keyOf('service.serverstransport'), 'traefik/service.serverstransport', 'warning', `the ServersTransport "${settings.serversTransport}" of Service ${namespace}/${name} (TLS to the pods, timeouts) was not translated`, fix('service.serverstransport'));
  }
  if (settings.passHostHeader !== undefined) {
    if (settings.passHostHeader) at(keyOf('service.passhostheader'), 'traefik/service.passhostheader', 'info', `service.passhostheader "true" is Traefik's default, and Gateway API also sends the client's Host to Service ${namespace}/${name}`);
    else at(keyOf('service.passhostheader'), 'traefik/service.passhostheader', 'warning', `Traefik sent the pod address as Host to Service ${namespace}/${name} (service.passhostheader "false"); Gateway API sends the client's Host`, fix('service.passhostheader'));
  }
  if (settings.nativeLB !== undefined) {
    at(keyOf('service.nativelb'), 'traefik/service.nativelb', settings.nativeLB ? 'warning' : 'info', settings.nativeLB ? `Traefik sent to the cluster IP of Service ${namespace}/${name} (service.nativelb), so kube-proxy balanced per connection; Gateway API implementations balance over the endpoints per request` : `service.nativelb "false" is Traefik's default: it balanced over the endpoints, as Gateway API implementations do`);
  }
  if (settings.nodePortLB !== undefined) {
    at(keyOf('service.nodeportlb'), 'traefik/service.nodeportlb', settings.nodePortLB ? 'warning' : 'info', settings.nodePortLB ? `Traefik sent to the node ports of Service ${namespace}/${name} (service.nodeportlb); Gateway API implementations send to the endpoints` : 'service.nodeportlb "false" is the default and has no effect');
  }
  const cookie = settings.sticky?.cookie;
  if (settings.sticky && !cookie) at(keyOf('service.sticky'), 'traefik/ignored-on-service', 'info', `service.sticky without a cookie has no effect (Traefik is sticky only with service.sticky.cookie)`);
  if (cookie) {
    const stickyKeys = [...keys.entries()].filter(([p]) => p.startsWith('service.sticky')).map(([, k]) => k);
    for (const [attr, label] of [
      ['secure', 'Secure'],
      ['httpOnly', 'HttpOnly'],
      ['sameSite', 'SameSite'],
      ['domain', 'Domain'],
      ['path', 'Path'],
    ] as const) {
      const v = cookie[attr];
      if (v === undefined) continue;
      const path = `service.sticky.cookie.${attr.toLowerCase()}`;
      at(keyOf(path), `traefik/${path}`, attr === 'path' ? 'info' : 'warning', `the ${label} attribute of the sticky cookie (${String(v)}) has no Gateway API field; the implementation chooses the cookie attributes`, 'Check the cookie your implementation sets; configure the attributes with its own policy if they matter.');
    }
    const mainKey = stickyKeys.find((k) => /sticky\.cookie$/i.test(k)) ?? stickyKeys[0] ?? keyOf('service.sticky.cookie');
    if (cookie.maxAge !== undefined && cookie.maxAge < 0) {
      at(keyOf('service.sticky.cookie.maxage'), 'traefik/service.sticky.cookie.maxage', 'warning', `a negative Max-Age made the sticky cookie of Service ${namespace}/${name} expire at once (no stickiness); it was not translated`);
    } else if (ctx.channel !== 'experimental') {
      for (const k of stickyKeys.filter((x) => /sticky(\.cookie(\.(name|maxage))?)?$/i.test(x))) {
        at(k, findTraefikRule(k)?.id ?? 'traefik/service.sticky.cookie', 'warning', `sticky sessions of Service ${namespace}/${name} become sessionPersistence, which is in the experimental channel only; ${k.slice(TRAEFIK_PREFIX.length)} was not translated`, 'Convert with --channel experimental if your implementation supports sessionPersistence, or use its own session affinity policy.');
      }
    } else {
      info.sessionPersistence = (port) => {
        const portString = port.name ?? String(port.number ?? '');
        const sp: Record<string, unknown> = { sessionName: stickyCookieName(cookie.name, `${normalizeName(`${namespace}-${name}-${portString}`)}@kubernetes`), type: 'Cookie' };
        if (cookie.maxAge !== undefined && cookie.maxAge > 0) {
          sp.absoluteTimeout = toGatewayDuration(cookie.maxAge);
          sp.cookieConfig = { lifetimeType: 'Permanent' };
        } else sp.cookieConfig = { lifetimeType: 'Session' };
        return sp;
      };
      at(mainKey, 'traefik/service.sticky.cookie', 'info', `the sticky cookie of Service ${namespace}/${name} became sessionPersistence on every rule to it${cookie.name ? '' : ' (with the name Traefik generated from the service name)'}; Traefik kept one session per Service for every router using it, Gateway API keeps it per rule`);
    }
  }
  return info;
}

/**
 * Traefik connects with TLS to a Service port numbered 443 or named https* unless
 * service.serversscheme says otherwise (getProtocol L900-911).
 */
export function implicitHttps(svc: ServiceInfo, port: { number?: number; name?: string }): boolean {
  if (svc.settings?.serversScheme) return false;
  const ports = svc.doc && Array.isArray((svc.doc.object.spec as { ports?: unknown } | undefined)?.ports) ? ((svc.doc.object.spec as { ports: unknown[] }).ports as Record<string, unknown>[]) : [];
  const found = ports.find((p) => (port.number !== undefined && p.port === port.number) || (port.name !== undefined && p.name === port.name));
  const number = typeof found?.port === 'number' ? found.port : port.number;
  const name = typeof found?.name === 'string' ? found.name : port.name;
  return number === 443 || (name ?? '').startsWith('https');
}
